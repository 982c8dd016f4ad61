;; The Lloyd k-means kernel as src/lib/analysis/wasm/kmeans-kernel.ts emits it (disassembled
;; by to-wat.ts; the memory limits vary per grid). Not compiled from here: the emitter is the
;; source and this listing is checked to match it. Regenerate: npx vitest run --project unit tests/analysis/kmeans-wat.test.ts -u
(module
  (import "env" "memory" (memory 1 1))
  (func $assign (export "assign")
    (param $idx i32)
    (param $n i32)
    (param $dimBytes i32)
    (param $data i32)
    (param $cent i32)
    (param $k i32)
    (param $cn i32)
    (param $xn i32)
    (param $labels i32)
    (param $dist i32)
    (param $sums i32)
    (param $counts i32)
    (param $out i32)
    (result i32)
    (local $j i32)
    (local $xp i32)
    (local $c i32)
    (local $cp i32)
    (local $d i32)
    (local $best f32)
    (local $bc i32)
    (local $s f32)
    (local $acc v128)
    (local $inertia f64)
    (local $changed i32)
    (local $sp i32)
    (local $acc2 v128)
    (local $cp2 i32)
    (local $acc3 v128)
    (local $cp3 i32)
    (local $acc4 v128)
    (local $cp4 i32)
    f64.const 0
    local.set $inertia
    i32.const 0
    local.set $changed
    i32.const 0
    local.set $j
    block
      loop
        local.get $j
        local.get $n
        i32.ge_u
        br_if 1
        local.get $data
        local.get $idx
        local.get $j
        i32.const 2
        i32.shl
        i32.add
        i32.load
        local.get $dimBytes
        i32.mul
        i32.add
        local.set $xp
        f32.const inf
        local.set $best
        i32.const 0
        local.set $bc
        i32.const 0
        local.set $c
        local.get $cent
        local.set $cp
        loop
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set $acc
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set $acc2
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set $acc3
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set $acc4
          local.get $cp
          local.get $dimBytes
          i32.add
          local.tee $cp2
          local.get $dimBytes
          i32.add
          local.tee $cp3
          local.get $dimBytes
          i32.add
          local.set $cp4
          i32.const 0
          local.set $d
          loop
            local.get $acc
            local.get $xp
            local.get $d
            i32.add
            v128.load
            local.get $cp
            local.get $d
            i32.add
            v128.load
            f32x4.mul
            f32x4.add
            local.set $acc
            local.get $acc2
            local.get $xp
            local.get $d
            i32.add
            v128.load
            local.get $cp2
            local.get $d
            i32.add
            v128.load
            f32x4.mul
            f32x4.add
            local.set $acc2
            local.get $acc3
            local.get $xp
            local.get $d
            i32.add
            v128.load
            local.get $cp3
            local.get $d
            i32.add
            v128.load
            f32x4.mul
            f32x4.add
            local.set $acc3
            local.get $acc4
            local.get $xp
            local.get $d
            i32.add
            v128.load
            local.get $cp4
            local.get $d
            i32.add
            v128.load
            f32x4.mul
            f32x4.add
            local.set $acc4
            local.get $d
            i32.const 16
            i32.add
            local.tee $d
            local.get $dimBytes
            i32.lt_u
            br_if 0
          end
          local.get $cn
          local.get $c
          i32.const 0
          i32.add
          i32.const 2
          i32.shl
          i32.add
          f32.load
          local.get $acc
          f32x4.extract_lane 0
          local.get $acc
          f32x4.extract_lane 1
          f32.add
          local.get $acc
          f32x4.extract_lane 2
          local.get $acc
          f32x4.extract_lane 3
          f32.add
          f32.add
          f32.const 2
          f32.mul
          f32.sub
          local.tee $s
          local.get $best
          f32.lt
          if
            local.get $s
            local.set $best
            local.get $c
            i32.const 0
            i32.add
            local.set $bc
          end
          local.get $cn
          local.get $c
          i32.const 1
          i32.add
          i32.const 2
          i32.shl
          i32.add
          f32.load
          local.get $acc2
          f32x4.extract_lane 0
          local.get $acc2
          f32x4.extract_lane 1
          f32.add
          local.get $acc2
          f32x4.extract_lane 2
          local.get $acc2
          f32x4.extract_lane 3
          f32.add
          f32.add
          f32.const 2
          f32.mul
          f32.sub
          local.tee $s
          local.get $best
          f32.lt
          if
            local.get $s
            local.set $best
            local.get $c
            i32.const 1
            i32.add
            local.set $bc
          end
          local.get $cn
          local.get $c
          i32.const 2
          i32.add
          i32.const 2
          i32.shl
          i32.add
          f32.load
          local.get $acc3
          f32x4.extract_lane 0
          local.get $acc3
          f32x4.extract_lane 1
          f32.add
          local.get $acc3
          f32x4.extract_lane 2
          local.get $acc3
          f32x4.extract_lane 3
          f32.add
          f32.add
          f32.const 2
          f32.mul
          f32.sub
          local.tee $s
          local.get $best
          f32.lt
          if
            local.get $s
            local.set $best
            local.get $c
            i32.const 2
            i32.add
            local.set $bc
          end
          local.get $cn
          local.get $c
          i32.const 3
          i32.add
          i32.const 2
          i32.shl
          i32.add
          f32.load
          local.get $acc4
          f32x4.extract_lane 0
          local.get $acc4
          f32x4.extract_lane 1
          f32.add
          local.get $acc4
          f32x4.extract_lane 2
          local.get $acc4
          f32x4.extract_lane 3
          f32.add
          f32.add
          f32.const 2
          f32.mul
          f32.sub
          local.tee $s
          local.get $best
          f32.lt
          if
            local.get $s
            local.set $best
            local.get $c
            i32.const 3
            i32.add
            local.set $bc
          end
          local.get $cp4
          local.get $dimBytes
          i32.add
          local.set $cp
          local.get $c
          i32.const 4
          i32.add
          local.tee $c
          local.get $k
          i32.lt_u
          br_if 0
        end
        local.get $labels
        local.get $j
        i32.add
        i32.load8_u
        local.get $bc
        i32.ne
        if
          local.get $labels
          local.get $j
          i32.add
          local.get $bc
          i32.store8
          local.get $changed
          i32.const 1
          i32.add
          local.set $changed
        end
        local.get $dist
        local.get $j
        i32.const 2
        i32.shl
        i32.add
        local.get $xn
        local.get $j
        i32.const 2
        i32.shl
        i32.add
        f32.load
        local.get $best
        f32.add
        f32.const 0
        f32.max
        local.tee $s
        f32.store
        local.get $inertia
        local.get $s
        f64.promote_f32
        f64.add
        local.set $inertia
        local.get $counts
        local.get $bc
        i32.const 2
        i32.shl
        i32.add
        local.tee $sp
        local.get $sp
        i32.load
        i32.const 1
        i32.add
        i32.store
        local.get $sums
        local.get $bc
        local.get $dimBytes
        i32.mul
        i32.add
        local.set $sp
        i32.const 0
        local.set $d
        loop
          local.get $sp
          local.get $d
          i32.add
          local.get $sp
          local.get $d
          i32.add
          v128.load
          local.get $xp
          local.get $d
          i32.add
          v128.load
          f32x4.add
          v128.store
          local.get $d
          i32.const 16
          i32.add
          local.tee $d
          local.get $dimBytes
          i32.lt_u
          br_if 0
        end
        local.get $j
        i32.const 1
        i32.add
        local.set $j
        br 0
      end
    end
    local.get $out
    local.get $inertia
    f64.store
    local.get $changed
  )
)
