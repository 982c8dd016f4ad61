;; The bounded k-means kernel as src/lib/analysis/wasm/kmeans-bounded-kernel.ts emits it for
;; k = 5 and dim = 8 (disassembled by to-wat.ts): the emitter unrolls the loops over
;; centroids and makes offsets constant per (k, dim), so each k and dim has its own module;
;; this one shows the shape. Checked to match the emitter. Regenerate: npx vitest run --project unit tests/analysis/kmeans-wat.test.ts -u
(module
  (import "env" "memory" (memory 1 1))
  (func $searchAll (export "searchAll")
    (param $from i32)
    (param $to i32)
    (param $idx i32)
    (param $data i32)
    (param $xn i32)
    (param $cent i32)
    (param $cn i32)
    (param $labels i32)
    (param $upper i32)
    (param $lower i32)
    (param $own i32)
    (param $sums i32)
    (param $counts i32)
    (param $drift i32)
    (param $cc i32)
    (param $mincc i32)
    (param $gamma f32)
    (param $cnmax f32)
    (param $scored i32)
    (result i32)
    (local $d i32)
    (local $addr i32)
    (local $sumsRow i32)
    (local $changed i32)
    (local $scoredCount i32)
    (local $j i32)
    (local $j_1 i32)
    (local $xp i32)
    (local $a i32)
    (local $xn_1 f32)
    (local $best f32)
    (local $bc i32)
    (local $j_2 i32)
    (local $xp_1 i32)
    (local $a_1 i32)
    (local $xn_2 f32)
    (local $best_1 f32)
    (local $bc_1 i32)
    (local $row i32)
    (local $row_1 i32)
    (local $s f32)
    (local $e f32)
    (local $cv v128)
    (local $x v128)
    (local $x_1 v128)
    (local $acc v128)
    (local $acc_1 v128)
    (local $acc_2 v128)
    (local $acc_3 v128)
    (local $acc_4 v128)
    (local $acc_5 v128)
    (local $acc_6 v128)
    (local $acc_7 v128)
    i32.const 0
    local.set $changed
    i32.const 0
    local.set $scoredCount
    local.get $from
    local.set $j
    block
      loop
        local.get $j
        i32.const 1
        i32.add
        local.get $to
        i32.ge_u
        br_if 1
        local.get $j
        local.set $j_1
        local.get $data
        local.get $idx
        local.get $j_1
        i32.const 4
        i32.mul
        i32.add
        i32.load
        i32.const 32
        i32.mul
        i32.add
        local.set $xp
        local.get $labels
        local.get $j_1
        i32.add
        i32.load8_u
        local.set $a
        local.get $xn
        local.get $j_1
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.set $xn_1
        local.get $j
        i32.const 1
        i32.add
        local.set $j_2
        local.get $data
        local.get $idx
        local.get $j_2
        i32.const 4
        i32.mul
        i32.add
        i32.load
        i32.const 32
        i32.mul
        i32.add
        local.set $xp_1
        local.get $labels
        local.get $j_2
        i32.add
        i32.load8_u
        local.set $a_1
        local.get $xn
        local.get $j_2
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.set $xn_2
        local.get $scoredCount
        i32.const 5
        i32.add
        local.set $scoredCount
        f32.const inf
        local.set $best
        i32.const 0
        local.set $bc
        local.get $lower
        local.get $j_1
        i32.const 32
        i32.mul
        i32.add
        local.set $row
        local.get $scoredCount
        i32.const 5
        i32.add
        local.set $scoredCount
        f32.const inf
        local.set $best_1
        i32.const 0
        local.set $bc_1
        local.get $lower
        local.get $j_2
        i32.const 32
        i32.mul
        i32.add
        local.set $row_1
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_4
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_1
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_5
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_2
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_6
        i32.const 0
        local.set $d
        loop
          local.get $xp
          local.get $d
          i32.add
          v128.load
          local.set $x
          local.get $xp_1
          local.get $d
          i32.add
          v128.load
          local.set $x_1
          local.get $cent
          local.get $d
          i32.add
          v128.load
          local.set $cv
          local.get $acc
          local.get $x
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc
          local.get $acc_4
          local.get $x_1
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_4
          local.get $cent
          local.get $d
          i32.add
          v128.load offset=32
          local.set $cv
          local.get $acc_1
          local.get $x
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_1
          local.get $acc_5
          local.get $x_1
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_5
          local.get $cent
          local.get $d
          i32.add
          v128.load offset=64
          local.set $cv
          local.get $acc_2
          local.get $x
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_2
          local.get $acc_6
          local.get $x_1
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_6
          local.get $d
          i32.const 16
          i32.add
          local.tee $d
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $cn
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
        local.set $s
        local.get $row
        local.get $s
        f32.store
        local.get $s
        local.get $best
        f32.lt
        if
          local.get $s
          local.set $best
          i32.const 0
          local.set $bc
        end
        local.get $cn
        f32.load
        local.get $acc_4
        f32x4.extract_lane 0
        local.get $acc_4
        f32x4.extract_lane 1
        f32.add
        local.get $acc_4
        f32x4.extract_lane 2
        local.get $acc_4
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row_1
        local.get $s
        f32.store
        local.get $s
        local.get $best_1
        f32.lt
        if
          local.get $s
          local.set $best_1
          i32.const 0
          local.set $bc_1
        end
        local.get $cn
        f32.load offset=4
        local.get $acc_1
        f32x4.extract_lane 0
        local.get $acc_1
        f32x4.extract_lane 1
        f32.add
        local.get $acc_1
        f32x4.extract_lane 2
        local.get $acc_1
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row
        local.get $s
        f32.store offset=4
        local.get $s
        local.get $best
        f32.lt
        if
          local.get $s
          local.set $best
          i32.const 1
          local.set $bc
        end
        local.get $cn
        f32.load offset=4
        local.get $acc_5
        f32x4.extract_lane 0
        local.get $acc_5
        f32x4.extract_lane 1
        f32.add
        local.get $acc_5
        f32x4.extract_lane 2
        local.get $acc_5
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row_1
        local.get $s
        f32.store offset=4
        local.get $s
        local.get $best_1
        f32.lt
        if
          local.get $s
          local.set $best_1
          i32.const 1
          local.set $bc_1
        end
        local.get $cn
        f32.load offset=8
        local.get $acc_2
        f32x4.extract_lane 0
        local.get $acc_2
        f32x4.extract_lane 1
        f32.add
        local.get $acc_2
        f32x4.extract_lane 2
        local.get $acc_2
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row
        local.get $s
        f32.store offset=8
        local.get $s
        local.get $best
        f32.lt
        if
          local.get $s
          local.set $best
          i32.const 2
          local.set $bc
        end
        local.get $cn
        f32.load offset=8
        local.get $acc_6
        f32x4.extract_lane 0
        local.get $acc_6
        f32x4.extract_lane 1
        f32.add
        local.get $acc_6
        f32x4.extract_lane 2
        local.get $acc_6
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row_1
        local.get $s
        f32.store offset=8
        local.get $s
        local.get $best_1
        f32.lt
        if
          local.get $s
          local.set $best_1
          i32.const 2
          local.set $bc_1
        end
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_4
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_1
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc_5
        i32.const 0
        local.set $d
        loop
          local.get $xp
          local.get $d
          i32.add
          v128.load
          local.set $x
          local.get $xp_1
          local.get $d
          i32.add
          v128.load
          local.set $x_1
          local.get $cent
          local.get $d
          i32.add
          v128.load offset=96
          local.set $cv
          local.get $acc
          local.get $x
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc
          local.get $acc_4
          local.get $x_1
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_4
          local.get $cent
          local.get $d
          i32.add
          v128.load offset=128
          local.set $cv
          local.get $acc_1
          local.get $x
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_1
          local.get $acc_5
          local.get $x_1
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc_5
          local.get $d
          i32.const 16
          i32.add
          local.tee $d
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $cn
        f32.load offset=12
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
        local.set $s
        local.get $row
        local.get $s
        f32.store offset=12
        local.get $s
        local.get $best
        f32.lt
        if
          local.get $s
          local.set $best
          i32.const 3
          local.set $bc
        end
        local.get $cn
        f32.load offset=12
        local.get $acc_4
        f32x4.extract_lane 0
        local.get $acc_4
        f32x4.extract_lane 1
        f32.add
        local.get $acc_4
        f32x4.extract_lane 2
        local.get $acc_4
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row_1
        local.get $s
        f32.store offset=12
        local.get $s
        local.get $best_1
        f32.lt
        if
          local.get $s
          local.set $best_1
          i32.const 3
          local.set $bc_1
        end
        local.get $cn
        f32.load offset=16
        local.get $acc_1
        f32x4.extract_lane 0
        local.get $acc_1
        f32x4.extract_lane 1
        f32.add
        local.get $acc_1
        f32x4.extract_lane 2
        local.get $acc_1
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row
        local.get $s
        f32.store offset=16
        local.get $s
        local.get $best
        f32.lt
        if
          local.get $s
          local.set $best
          i32.const 4
          local.set $bc
        end
        local.get $cn
        f32.load offset=16
        local.get $acc_5
        f32x4.extract_lane 0
        local.get $acc_5
        f32x4.extract_lane 1
        f32.add
        local.get $acc_5
        f32x4.extract_lane 2
        local.get $acc_5
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set $s
        local.get $row_1
        local.get $s
        f32.store offset=16
        local.get $s
        local.get $best_1
        f32.lt
        if
          local.get $s
          local.set $best_1
          i32.const 4
          local.set $bc_1
        end
        local.get $gamma
        local.get $xn_1
        local.get $cnmax
        f32.add
        f32.mul
        local.set $e
        local.get $row
        local.get $row
        v128.load
        local.get $xn_1
        f32x4.splat
        f32x4.add
        local.get $e
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store
        local.get $row
        local.get $row
        v128.load offset=16
        local.get $xn_1
        f32x4.splat
        f32x4.add
        local.get $e
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store offset=16
        local.get $row
        f32.const inf
        f32.store offset=20
        local.get $row
        f32.const inf
        f32.store offset=24
        local.get $row
        f32.const inf
        f32.store offset=28
        local.get $upper
        local.get $j_1
        i32.const 4
        i32.mul
        i32.add
        local.get $xn_1
        local.get $best
        f32.add
        local.get $e
        f32.add
        f32.const 0
        f32.max
        f32.sqrt
        f32.store
        local.get $bc
        local.get $a
        i32.ne
        if
          local.get $changed
          i32.const 1
          i32.add
          local.set $changed
          local.get $labels
          local.get $j_1
          i32.add
          local.get $bc
          i32.store8
          local.get $counts
          local.get $bc
          i32.const 4
          i32.mul
          i32.add
          local.tee $addr
          local.get $addr
          i32.load
          i32.const 1
          i32.add
          i32.store
          local.get $sums
          local.get $bc
          i32.const 64
          i32.mul
          i32.add
          local.set $sumsRow
          i32.const 0
          local.set $d
          loop
            local.get $sumsRow
            local.get $d
            i32.const 1
            i32.shl
            i32.add
            local.tee $addr
            local.get $addr
            v128.load
            local.get $xp
            local.get $d
            i32.add
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.add
            v128.store
            local.get $d
            i32.const 8
            i32.add
            local.tee $d
            i32.const 32
            i32.lt_u
            br_if 0
          end
          local.get $a
          i32.const 255
          i32.ne
          if
            local.get $counts
            local.get $a
            i32.const 4
            i32.mul
            i32.add
            local.tee $addr
            local.get $addr
            i32.load
            i32.const -1
            i32.add
            i32.store
            local.get $sums
            local.get $a
            i32.const 64
            i32.mul
            i32.add
            local.set $sumsRow
            i32.const 0
            local.set $d
            loop
              local.get $sumsRow
              local.get $d
              i32.const 1
              i32.shl
              i32.add
              local.tee $addr
              local.get $addr
              v128.load
              local.get $xp
              local.get $d
              i32.add
              v128.load64_zero
              f64x2.promote_low_f32x4
              f64x2.sub
              v128.store
              local.get $d
              i32.const 8
              i32.add
              local.tee $d
              i32.const 32
              i32.lt_u
              br_if 0
            end
          end
        end
        local.get $gamma
        local.get $xn_2
        local.get $cnmax
        f32.add
        f32.mul
        local.set $e
        local.get $row_1
        local.get $row_1
        v128.load
        local.get $xn_2
        f32x4.splat
        f32x4.add
        local.get $e
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store
        local.get $row_1
        local.get $row_1
        v128.load offset=16
        local.get $xn_2
        f32x4.splat
        f32x4.add
        local.get $e
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store offset=16
        local.get $row_1
        f32.const inf
        f32.store offset=20
        local.get $row_1
        f32.const inf
        f32.store offset=24
        local.get $row_1
        f32.const inf
        f32.store offset=28
        local.get $upper
        local.get $j_2
        i32.const 4
        i32.mul
        i32.add
        local.get $xn_2
        local.get $best_1
        f32.add
        local.get $e
        f32.add
        f32.const 0
        f32.max
        f32.sqrt
        f32.store
        local.get $bc_1
        local.get $a_1
        i32.ne
        if
          local.get $changed
          i32.const 1
          i32.add
          local.set $changed
          local.get $labels
          local.get $j_2
          i32.add
          local.get $bc_1
          i32.store8
          local.get $counts
          local.get $bc_1
          i32.const 4
          i32.mul
          i32.add
          local.tee $addr
          local.get $addr
          i32.load
          i32.const 1
          i32.add
          i32.store
          local.get $sums
          local.get $bc_1
          i32.const 64
          i32.mul
          i32.add
          local.set $sumsRow
          i32.const 0
          local.set $d
          loop
            local.get $sumsRow
            local.get $d
            i32.const 1
            i32.shl
            i32.add
            local.tee $addr
            local.get $addr
            v128.load
            local.get $xp_1
            local.get $d
            i32.add
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.add
            v128.store
            local.get $d
            i32.const 8
            i32.add
            local.tee $d
            i32.const 32
            i32.lt_u
            br_if 0
          end
          local.get $a_1
          i32.const 255
          i32.ne
          if
            local.get $counts
            local.get $a_1
            i32.const 4
            i32.mul
            i32.add
            local.tee $addr
            local.get $addr
            i32.load
            i32.const -1
            i32.add
            i32.store
            local.get $sums
            local.get $a_1
            i32.const 64
            i32.mul
            i32.add
            local.set $sumsRow
            i32.const 0
            local.set $d
            loop
              local.get $sumsRow
              local.get $d
              i32.const 1
              i32.shl
              i32.add
              local.tee $addr
              local.get $addr
              v128.load
              local.get $xp_1
              local.get $d
              i32.add
              v128.load64_zero
              f64x2.promote_low_f32x4
              f64x2.sub
              v128.store
              local.get $d
              i32.const 8
              i32.add
              local.tee $d
              i32.const 32
              i32.lt_u
              br_if 0
            end
          end
        end
        local.get $j
        i32.const 2
        i32.add
        local.set $j
        br 0
      end
    end
    local.get $j
    local.get $to
    i32.lt_u
    if
      local.get $j
      local.set $j_1
      local.get $data
      local.get $idx
      local.get $j_1
      i32.const 4
      i32.mul
      i32.add
      i32.load
      i32.const 32
      i32.mul
      i32.add
      local.set $xp
      local.get $labels
      local.get $j_1
      i32.add
      i32.load8_u
      local.set $a
      local.get $xn
      local.get $j_1
      i32.const 4
      i32.mul
      i32.add
      f32.load
      local.set $xn_1
      local.get $scoredCount
      i32.const 5
      i32.add
      local.set $scoredCount
      f32.const inf
      local.set $best
      i32.const 0
      local.set $bc
      local.get $lower
      local.get $j_1
      i32.const 32
      i32.mul
      i32.add
      local.set $row
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $acc
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $acc_1
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $acc_2
      i32.const 0
      local.set $d
      loop
        local.get $xp
        local.get $d
        i32.add
        v128.load
        local.set $x
        local.get $cent
        local.get $d
        i32.add
        v128.load
        local.set $cv
        local.get $acc
        local.get $x
        local.get $cv
        f32x4.mul
        f32x4.add
        local.set $acc
        local.get $cent
        local.get $d
        i32.add
        v128.load offset=32
        local.set $cv
        local.get $acc_1
        local.get $x
        local.get $cv
        f32x4.mul
        f32x4.add
        local.set $acc_1
        local.get $cent
        local.get $d
        i32.add
        v128.load offset=64
        local.set $cv
        local.get $acc_2
        local.get $x
        local.get $cv
        f32x4.mul
        f32x4.add
        local.set $acc_2
        local.get $d
        i32.const 16
        i32.add
        local.tee $d
        i32.const 32
        i32.lt_u
        br_if 0
      end
      local.get $cn
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
      local.set $s
      local.get $row
      local.get $s
      f32.store
      local.get $s
      local.get $best
      f32.lt
      if
        local.get $s
        local.set $best
        i32.const 0
        local.set $bc
      end
      local.get $cn
      f32.load offset=4
      local.get $acc_1
      f32x4.extract_lane 0
      local.get $acc_1
      f32x4.extract_lane 1
      f32.add
      local.get $acc_1
      f32x4.extract_lane 2
      local.get $acc_1
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set $s
      local.get $row
      local.get $s
      f32.store offset=4
      local.get $s
      local.get $best
      f32.lt
      if
        local.get $s
        local.set $best
        i32.const 1
        local.set $bc
      end
      local.get $cn
      f32.load offset=8
      local.get $acc_2
      f32x4.extract_lane 0
      local.get $acc_2
      f32x4.extract_lane 1
      f32.add
      local.get $acc_2
      f32x4.extract_lane 2
      local.get $acc_2
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set $s
      local.get $row
      local.get $s
      f32.store offset=8
      local.get $s
      local.get $best
      f32.lt
      if
        local.get $s
        local.set $best
        i32.const 2
        local.set $bc
      end
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $acc
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $acc_1
      i32.const 0
      local.set $d
      loop
        local.get $xp
        local.get $d
        i32.add
        v128.load
        local.set $x
        local.get $cent
        local.get $d
        i32.add
        v128.load offset=96
        local.set $cv
        local.get $acc
        local.get $x
        local.get $cv
        f32x4.mul
        f32x4.add
        local.set $acc
        local.get $cent
        local.get $d
        i32.add
        v128.load offset=128
        local.set $cv
        local.get $acc_1
        local.get $x
        local.get $cv
        f32x4.mul
        f32x4.add
        local.set $acc_1
        local.get $d
        i32.const 16
        i32.add
        local.tee $d
        i32.const 32
        i32.lt_u
        br_if 0
      end
      local.get $cn
      f32.load offset=12
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
      local.set $s
      local.get $row
      local.get $s
      f32.store offset=12
      local.get $s
      local.get $best
      f32.lt
      if
        local.get $s
        local.set $best
        i32.const 3
        local.set $bc
      end
      local.get $cn
      f32.load offset=16
      local.get $acc_1
      f32x4.extract_lane 0
      local.get $acc_1
      f32x4.extract_lane 1
      f32.add
      local.get $acc_1
      f32x4.extract_lane 2
      local.get $acc_1
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set $s
      local.get $row
      local.get $s
      f32.store offset=16
      local.get $s
      local.get $best
      f32.lt
      if
        local.get $s
        local.set $best
        i32.const 4
        local.set $bc
      end
      local.get $gamma
      local.get $xn_1
      local.get $cnmax
      f32.add
      f32.mul
      local.set $e
      local.get $row
      local.get $row
      v128.load
      local.get $xn_1
      f32x4.splat
      f32x4.add
      local.get $e
      f32x4.splat
      f32x4.sub
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      f32x4.max
      f32x4.sqrt
      v128.store
      local.get $row
      local.get $row
      v128.load offset=16
      local.get $xn_1
      f32x4.splat
      f32x4.add
      local.get $e
      f32x4.splat
      f32x4.sub
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      f32x4.max
      f32x4.sqrt
      v128.store offset=16
      local.get $row
      f32.const inf
      f32.store offset=20
      local.get $row
      f32.const inf
      f32.store offset=24
      local.get $row
      f32.const inf
      f32.store offset=28
      local.get $upper
      local.get $j_1
      i32.const 4
      i32.mul
      i32.add
      local.get $xn_1
      local.get $best
      f32.add
      local.get $e
      f32.add
      f32.const 0
      f32.max
      f32.sqrt
      f32.store
      local.get $bc
      local.get $a
      i32.ne
      if
        local.get $changed
        i32.const 1
        i32.add
        local.set $changed
        local.get $labels
        local.get $j_1
        i32.add
        local.get $bc
        i32.store8
        local.get $counts
        local.get $bc
        i32.const 4
        i32.mul
        i32.add
        local.tee $addr
        local.get $addr
        i32.load
        i32.const 1
        i32.add
        i32.store
        local.get $sums
        local.get $bc
        i32.const 64
        i32.mul
        i32.add
        local.set $sumsRow
        i32.const 0
        local.set $d
        loop
          local.get $sumsRow
          local.get $d
          i32.const 1
          i32.shl
          i32.add
          local.tee $addr
          local.get $addr
          v128.load
          local.get $xp
          local.get $d
          i32.add
          v128.load64_zero
          f64x2.promote_low_f32x4
          f64x2.add
          v128.store
          local.get $d
          i32.const 8
          i32.add
          local.tee $d
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $a
        i32.const 255
        i32.ne
        if
          local.get $counts
          local.get $a
          i32.const 4
          i32.mul
          i32.add
          local.tee $addr
          local.get $addr
          i32.load
          i32.const -1
          i32.add
          i32.store
          local.get $sums
          local.get $a
          i32.const 64
          i32.mul
          i32.add
          local.set $sumsRow
          i32.const 0
          local.set $d
          loop
            local.get $sumsRow
            local.get $d
            i32.const 1
            i32.shl
            i32.add
            local.tee $addr
            local.get $addr
            v128.load
            local.get $xp
            local.get $d
            i32.add
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.sub
            v128.store
            local.get $d
            i32.const 8
            i32.add
            local.tee $d
            i32.const 32
            i32.lt_u
            br_if 0
          end
        end
      end
    end
    local.get $scored
    local.get $scored
    i32.load
    local.get $scoredCount
    i32.add
    i32.store
    local.get $changed
  )
  (func $boundedPass (export "boundedPass")
    (param $from i32)
    (param $to i32)
    (param $idx i32)
    (param $data i32)
    (param $xn i32)
    (param $cent i32)
    (param $cn i32)
    (param $labels i32)
    (param $upper i32)
    (param $lower i32)
    (param $own i32)
    (param $sums i32)
    (param $counts i32)
    (param $drift i32)
    (param $cc i32)
    (param $mincc i32)
    (param $gamma f32)
    (param $cnmax f32)
    (param $scored i32)
    (result i32)
    (local $d i32)
    (local $addr i32)
    (local $sumsRow i32)
    (local $changed i32)
    (local $scoredCount i32)
    (local $i i32)
    (local $j i32)
    (local $xp i32)
    (local $a i32)
    (local $xn_1 f32)
    (local $best f32)
    (local $bc i32)
    (local $row i32)
    (local $ccRow i32)
    (local $bits i32)
    (local $e f32)
    (local $u f32)
    (local $w f32)
    (local $lower0 v128)
    (local $lower1 v128)
    (local $x v128)
    (local $cv v128)
    (local $cp i32)
    (local $acc v128)
    (local $s f32)
    (local $c i32)
    (local $cp_1 i32)
    (local $acc_1 v128)
    (local $s_1 f32)
    (local $c_1 i32)
    (local $cp_2 i32)
    (local $acc_2 v128)
    (local $s_2 f32)
    i32.const 0
    local.set $changed
    i32.const 0
    local.set $scoredCount
    local.get $from
    local.set $i
    block
      loop
        local.get $i
        local.get $to
        i32.ge_u
        br_if 1
        block
          local.get $i
          local.set $j
          local.get $data
          local.get $idx
          local.get $j
          i32.const 4
          i32.mul
          i32.add
          i32.load
          i32.const 32
          i32.mul
          i32.add
          local.set $xp
          local.get $labels
          local.get $j
          i32.add
          i32.load8_u
          local.set $a
          local.get $xn
          local.get $j
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.set $xn_1
          local.get $lower
          local.get $j
          i32.const 32
          i32.mul
          i32.add
          local.set $row
          local.get $gamma
          local.get $xn_1
          local.get $cnmax
          f32.add
          f32.mul
          local.set $e
          local.get $upper
          local.get $j
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.get $drift
          local.get $a
          i32.const 4
          i32.mul
          i32.add
          f32.load
          f32.add
          local.set $u
          local.get $row
          local.get $row
          v128.load
          local.get $drift
          v128.load
          f32x4.sub
          local.tee $lower0
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $drift
          v128.load offset=16
          f32x4.sub
          local.tee $lower1
          v128.store offset=16
          local.get $u
          local.get $u
          f32.mul
          local.get $e
          f32.const 2
          f32.mul
          f32.add
          f32.const 0
          f32.max
          f32.sqrt
          local.set $w
          local.get $mincc
          local.get $a
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.get $u
          local.get $w
          f32.add
          f32.gt
          if
            local.get $upper
            local.get $j
            i32.const 4
            i32.mul
            i32.add
            local.get $u
            f32.store
            br 1
          end
          local.get $cc
          local.get $a
          i32.const 32
          i32.mul
          i32.add
          local.set $ccRow
          local.get $lower0
          local.get $w
          f32x4.splat
          f32x4.le
          local.get $ccRow
          v128.load
          local.get $u
          local.get $w
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          local.get $lower1
          local.get $w
          f32x4.splat
          f32x4.le
          local.get $ccRow
          v128.load offset=16
          local.get $u
          local.get $w
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          i32.const 4
          i32.shl
          i32.or
          local.set $bits
          local.get $bits
          i32.eqz
          if
            local.get $upper
            local.get $j
            i32.const 4
            i32.mul
            i32.add
            local.get $u
            f32.store
            br 1
          end
          local.get $scoredCount
          i32.const 1
          i32.add
          local.set $scoredCount
          local.get $cent
          local.get $a
          i32.const 32
          i32.mul
          i32.add
          local.set $cp
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set $acc
          i32.const 0
          local.set $d
          loop
            local.get $xp
            local.get $d
            i32.add
            v128.load
            local.set $x
            local.get $cp
            local.get $d
            i32.add
            v128.load
            local.set $cv
            local.get $acc
            local.get $x
            local.get $cv
            f32x4.mul
            f32x4.add
            local.set $acc
            local.get $d
            i32.const 16
            i32.add
            local.tee $d
            i32.const 32
            i32.lt_u
            br_if 0
          end
          local.get $cn
          local.get $a
          i32.const 4
          i32.mul
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
          local.set $s
          local.get $s
          local.set $best
          local.get $a
          local.set $bc
          local.get $xn_1
          local.get $s
          f32.add
          local.get $e
          f32.const 1
          f32.mul
          f32.add
          f32.const 0
          f32.max
          f32.sqrt
          local.set $u
          local.get $xn_1
          local.get $s
          f32.add
          local.get $e
          f32.const 3
          f32.mul
          f32.add
          f32.const 0
          f32.max
          f32.sqrt
          local.set $w
          local.get $lower0
          local.get $w
          f32x4.splat
          f32x4.le
          local.get $ccRow
          v128.load
          local.get $u
          local.get $w
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          local.get $lower1
          local.get $w
          f32x4.splat
          f32x4.le
          local.get $ccRow
          v128.load offset=16
          local.get $u
          local.get $w
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          i32.const 4
          i32.shl
          i32.or
          local.set $bits
          block
            loop
              local.get $bits
              i32.eqz
              br_if 1
              local.get $bits
              i32.ctz
              local.set $c
              local.get $bits
              local.get $bits
              i32.const 1
              i32.sub
              i32.and
              local.set $bits
              local.get $bits
              if
                local.get $bits
                i32.ctz
                local.set $c_1
                local.get $bits
                local.get $bits
                i32.const 1
                i32.sub
                i32.and
                local.set $bits
                local.get $scoredCount
                i32.const 2
                i32.add
                local.set $scoredCount
                local.get $cent
                local.get $c
                i32.const 32
                i32.mul
                i32.add
                local.set $cp_1
                local.get $cent
                local.get $c_1
                i32.const 32
                i32.mul
                i32.add
                local.set $cp_2
                v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                local.set $acc_1
                v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                local.set $acc_2
                i32.const 0
                local.set $d
                loop
                  local.get $xp
                  local.get $d
                  i32.add
                  v128.load
                  local.set $x
                  local.get $cp_1
                  local.get $d
                  i32.add
                  v128.load
                  local.set $cv
                  local.get $acc_1
                  local.get $x
                  local.get $cv
                  f32x4.mul
                  f32x4.add
                  local.set $acc_1
                  local.get $cp_2
                  local.get $d
                  i32.add
                  v128.load
                  local.set $cv
                  local.get $acc_2
                  local.get $x
                  local.get $cv
                  f32x4.mul
                  f32x4.add
                  local.set $acc_2
                  local.get $d
                  i32.const 16
                  i32.add
                  local.tee $d
                  i32.const 32
                  i32.lt_u
                  br_if 0
                end
                local.get $cn
                local.get $c
                i32.const 4
                i32.mul
                i32.add
                f32.load
                local.get $acc_1
                f32x4.extract_lane 0
                local.get $acc_1
                f32x4.extract_lane 1
                f32.add
                local.get $acc_1
                f32x4.extract_lane 2
                local.get $acc_1
                f32x4.extract_lane 3
                f32.add
                f32.add
                f32.const 2
                f32.mul
                f32.sub
                local.set $s_1
                local.get $cn
                local.get $c_1
                i32.const 4
                i32.mul
                i32.add
                f32.load
                local.get $acc_2
                f32x4.extract_lane 0
                local.get $acc_2
                f32x4.extract_lane 1
                f32.add
                local.get $acc_2
                f32x4.extract_lane 2
                local.get $acc_2
                f32x4.extract_lane 3
                f32.add
                f32.add
                f32.const 2
                f32.mul
                f32.sub
                local.set $s_2
                local.get $row
                local.get $c
                i32.const 4
                i32.mul
                i32.add
                local.get $xn_1
                local.get $s_1
                f32.add
                local.get $e
                f32.sub
                f32.const 0
                f32.max
                f32.sqrt
                f32.store
                local.get $s_1
                local.get $best
                f32.lt
                local.get $s_1
                local.get $best
                f32.eq
                local.get $c
                local.get $bc
                i32.lt_u
                i32.and
                i32.or
                if
                  local.get $s_1
                  local.set $best
                  local.get $c
                  local.set $bc
                end
                local.get $row
                local.get $c_1
                i32.const 4
                i32.mul
                i32.add
                local.get $xn_1
                local.get $s_2
                f32.add
                local.get $e
                f32.sub
                f32.const 0
                f32.max
                f32.sqrt
                f32.store
                local.get $s_2
                local.get $best
                f32.lt
                local.get $s_2
                local.get $best
                f32.eq
                local.get $c_1
                local.get $bc
                i32.lt_u
                i32.and
                i32.or
                if
                  local.get $s_2
                  local.set $best
                  local.get $c_1
                  local.set $bc
                end
              else
                local.get $scoredCount
                i32.const 1
                i32.add
                local.set $scoredCount
                local.get $cent
                local.get $c
                i32.const 32
                i32.mul
                i32.add
                local.set $cp_1
                v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                local.set $acc_1
                i32.const 0
                local.set $d
                loop
                  local.get $xp
                  local.get $d
                  i32.add
                  v128.load
                  local.set $x
                  local.get $cp_1
                  local.get $d
                  i32.add
                  v128.load
                  local.set $cv
                  local.get $acc_1
                  local.get $x
                  local.get $cv
                  f32x4.mul
                  f32x4.add
                  local.set $acc_1
                  local.get $d
                  i32.const 16
                  i32.add
                  local.tee $d
                  i32.const 32
                  i32.lt_u
                  br_if 0
                end
                local.get $cn
                local.get $c
                i32.const 4
                i32.mul
                i32.add
                f32.load
                local.get $acc_1
                f32x4.extract_lane 0
                local.get $acc_1
                f32x4.extract_lane 1
                f32.add
                local.get $acc_1
                f32x4.extract_lane 2
                local.get $acc_1
                f32x4.extract_lane 3
                f32.add
                f32.add
                f32.const 2
                f32.mul
                f32.sub
                local.set $s_1
                local.get $row
                local.get $c
                i32.const 4
                i32.mul
                i32.add
                local.get $xn_1
                local.get $s_1
                f32.add
                local.get $e
                f32.sub
                f32.const 0
                f32.max
                f32.sqrt
                f32.store
                local.get $s_1
                local.get $best
                f32.lt
                local.get $s_1
                local.get $best
                f32.eq
                local.get $c
                local.get $bc
                i32.lt_u
                i32.and
                i32.or
                if
                  local.get $s_1
                  local.set $best
                  local.get $c
                  local.set $bc
                end
              end
              br 0
            end
          end
          local.get $bc
          local.get $a
          i32.ne
          if
            local.get $row
            local.get $a
            i32.const 4
            i32.mul
            i32.add
            local.get $xn_1
            local.get $s
            f32.add
            local.get $e
            f32.sub
            f32.const 0
            f32.max
            f32.sqrt
            f32.store
            local.get $xn_1
            local.get $best
            f32.add
            local.get $e
            f32.add
            f32.const 0
            f32.max
            f32.sqrt
            local.set $u
            local.get $bc
            local.get $a
            i32.ne
            if
              local.get $changed
              i32.const 1
              i32.add
              local.set $changed
              local.get $labels
              local.get $j
              i32.add
              local.get $bc
              i32.store8
              local.get $counts
              local.get $bc
              i32.const 4
              i32.mul
              i32.add
              local.tee $addr
              local.get $addr
              i32.load
              i32.const 1
              i32.add
              i32.store
              local.get $sums
              local.get $bc
              i32.const 64
              i32.mul
              i32.add
              local.set $sumsRow
              i32.const 0
              local.set $d
              loop
                local.get $sumsRow
                local.get $d
                i32.const 1
                i32.shl
                i32.add
                local.tee $addr
                local.get $addr
                v128.load
                local.get $xp
                local.get $d
                i32.add
                v128.load64_zero
                f64x2.promote_low_f32x4
                f64x2.add
                v128.store
                local.get $d
                i32.const 8
                i32.add
                local.tee $d
                i32.const 32
                i32.lt_u
                br_if 0
              end
              local.get $a
              i32.const 255
              i32.ne
              if
                local.get $counts
                local.get $a
                i32.const 4
                i32.mul
                i32.add
                local.tee $addr
                local.get $addr
                i32.load
                i32.const -1
                i32.add
                i32.store
                local.get $sums
                local.get $a
                i32.const 64
                i32.mul
                i32.add
                local.set $sumsRow
                i32.const 0
                local.set $d
                loop
                  local.get $sumsRow
                  local.get $d
                  i32.const 1
                  i32.shl
                  i32.add
                  local.tee $addr
                  local.get $addr
                  v128.load
                  local.get $xp
                  local.get $d
                  i32.add
                  v128.load64_zero
                  f64x2.promote_low_f32x4
                  f64x2.sub
                  v128.store
                  local.get $d
                  i32.const 8
                  i32.add
                  local.tee $d
                  i32.const 32
                  i32.lt_u
                  br_if 0
                end
              end
            end
          end
          local.get $upper
          local.get $j
          i32.const 4
          i32.mul
          i32.add
          local.get $u
          f32.store
        end
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $scored
    local.get $scored
    i32.load
    local.get $scoredCount
    i32.add
    i32.store
    local.get $changed
  )
  (func $ownScores (export "ownScores")
    (param $from i32)
    (param $to i32)
    (param $idx i32)
    (param $data i32)
    (param $xn i32)
    (param $cent i32)
    (param $cn i32)
    (param $labels i32)
    (param $upper i32)
    (param $lower i32)
    (param $own i32)
    (param $sums i32)
    (param $counts i32)
    (param $drift i32)
    (param $cc i32)
    (param $mincc i32)
    (param $gamma f32)
    (param $cnmax f32)
    (param $scored i32)
    (result i32)
    (local $d i32)
    (local $addr i32)
    (local $sumsRow i32)
    (local $changed i32)
    (local $scoredCount i32)
    (local $i i32)
    (local $j i32)
    (local $xp i32)
    (local $a i32)
    (local $xn_1 f32)
    (local $best f32)
    (local $bc i32)
    (local $cp i32)
    (local $acc v128)
    (local $s f32)
    (local $x v128)
    (local $cv v128)
    i32.const 0
    local.set $changed
    i32.const 0
    local.set $scoredCount
    local.get $from
    local.set $i
    block
      loop
        local.get $i
        local.get $to
        i32.ge_u
        br_if 1
        local.get $i
        local.set $j
        local.get $data
        local.get $idx
        local.get $j
        i32.const 4
        i32.mul
        i32.add
        i32.load
        i32.const 32
        i32.mul
        i32.add
        local.set $xp
        local.get $labels
        local.get $j
        i32.add
        i32.load8_u
        local.set $a
        local.get $xn
        local.get $j
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.set $xn_1
        local.get $scoredCount
        i32.const 1
        i32.add
        local.set $scoredCount
        local.get $cent
        local.get $a
        i32.const 32
        i32.mul
        i32.add
        local.set $cp
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc
        i32.const 0
        local.set $d
        loop
          local.get $xp
          local.get $d
          i32.add
          v128.load
          local.set $x
          local.get $cp
          local.get $d
          i32.add
          v128.load
          local.set $cv
          local.get $acc
          local.get $x
          local.get $cv
          f32x4.mul
          f32x4.add
          local.set $acc
          local.get $d
          i32.const 16
          i32.add
          local.tee $d
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $cn
        local.get $a
        i32.const 4
        i32.mul
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
        local.set $s
        local.get $own
        local.get $j
        i32.const 4
        i32.mul
        i32.add
        local.get $s
        f32.store
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $scored
    local.get $scored
    i32.load
    local.get $scoredCount
    i32.add
    i32.store
    local.get $changed
  )
)
