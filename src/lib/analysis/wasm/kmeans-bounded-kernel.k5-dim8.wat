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
    (local i32) ;; 19
    (local i32) ;; 20
    (local i32) ;; 21
    (local i32) ;; 22
    (local i32) ;; 23
    (local i32) ;; 24
    (local i32) ;; 25
    (local i32) ;; 26
    (local i32) ;; 27
    (local f32) ;; 28
    (local f32) ;; 29
    (local i32) ;; 30
    (local i32) ;; 31
    (local i32) ;; 32
    (local i32) ;; 33
    (local f32) ;; 34
    (local f32) ;; 35
    (local i32) ;; 36
    (local i32) ;; 37
    (local i32) ;; 38
    (local f32) ;; 39
    (local f32) ;; 40
    (local v128) ;; 41
    (local v128) ;; 42
    (local v128) ;; 43
    (local v128) ;; 44
    (local v128) ;; 45
    (local v128) ;; 46
    (local v128) ;; 47
    (local v128) ;; 48
    (local v128) ;; 49
    (local v128) ;; 50
    (local v128) ;; 51
    i32.const 0
    local.set 22
    i32.const 0
    local.set 23
    local.get $from
    local.set 24
    block
      loop
        local.get 24
        i32.const 1
        i32.add
        local.get $to
        i32.ge_u
        br_if 1
        local.get 24
        local.set 25
        local.get $data
        local.get $idx
        local.get 25
        i32.const 4
        i32.mul
        i32.add
        i32.load
        i32.const 32
        i32.mul
        i32.add
        local.set 26
        local.get $labels
        local.get 25
        i32.add
        i32.load8_u
        local.set 27
        local.get $xn
        local.get 25
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.set 28
        local.get 24
        i32.const 1
        i32.add
        local.set 31
        local.get $data
        local.get $idx
        local.get 31
        i32.const 4
        i32.mul
        i32.add
        i32.load
        i32.const 32
        i32.mul
        i32.add
        local.set 32
        local.get $labels
        local.get 31
        i32.add
        i32.load8_u
        local.set 33
        local.get $xn
        local.get 31
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.set 34
        local.get 23
        i32.const 5
        i32.add
        local.set 23
        f32.const inf
        local.set 29
        i32.const 0
        local.set 30
        local.get $lower
        local.get 25
        i32.const 32
        i32.mul
        i32.add
        local.set 37
        local.get 23
        i32.const 5
        i32.add
        local.set 23
        f32.const inf
        local.set 35
        i32.const 0
        local.set 36
        local.get $lower
        local.get 31
        i32.const 32
        i32.mul
        i32.add
        local.set 38
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 44
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 48
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 45
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 49
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 46
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 50
        i32.const 0
        local.set 19
        loop
          local.get 26
          local.get 19
          i32.add
          v128.load
          local.set 42
          local.get 32
          local.get 19
          i32.add
          v128.load
          local.set 43
          local.get $cent
          local.get 19
          i32.add
          v128.load
          local.set 41
          local.get 44
          local.get 42
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 44
          local.get 48
          local.get 43
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 48
          local.get $cent
          local.get 19
          i32.add
          v128.load offset=32
          local.set 41
          local.get 45
          local.get 42
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 45
          local.get 49
          local.get 43
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 49
          local.get $cent
          local.get 19
          i32.add
          v128.load offset=64
          local.set 41
          local.get 46
          local.get 42
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 46
          local.get 50
          local.get 43
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 50
          local.get 19
          i32.const 16
          i32.add
          local.tee 19
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $cn
        f32.load
        local.get 44
        f32x4.extract_lane 0
        local.get 44
        f32x4.extract_lane 1
        f32.add
        local.get 44
        f32x4.extract_lane 2
        local.get 44
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 37
        local.get 39
        f32.store
        local.get 39
        local.get 29
        f32.lt
        if
          local.get 39
          local.set 29
          i32.const 0
          local.set 30
        end
        local.get $cn
        f32.load
        local.get 48
        f32x4.extract_lane 0
        local.get 48
        f32x4.extract_lane 1
        f32.add
        local.get 48
        f32x4.extract_lane 2
        local.get 48
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 38
        local.get 39
        f32.store
        local.get 39
        local.get 35
        f32.lt
        if
          local.get 39
          local.set 35
          i32.const 0
          local.set 36
        end
        local.get $cn
        f32.load offset=4
        local.get 45
        f32x4.extract_lane 0
        local.get 45
        f32x4.extract_lane 1
        f32.add
        local.get 45
        f32x4.extract_lane 2
        local.get 45
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 37
        local.get 39
        f32.store offset=4
        local.get 39
        local.get 29
        f32.lt
        if
          local.get 39
          local.set 29
          i32.const 1
          local.set 30
        end
        local.get $cn
        f32.load offset=4
        local.get 49
        f32x4.extract_lane 0
        local.get 49
        f32x4.extract_lane 1
        f32.add
        local.get 49
        f32x4.extract_lane 2
        local.get 49
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 38
        local.get 39
        f32.store offset=4
        local.get 39
        local.get 35
        f32.lt
        if
          local.get 39
          local.set 35
          i32.const 1
          local.set 36
        end
        local.get $cn
        f32.load offset=8
        local.get 46
        f32x4.extract_lane 0
        local.get 46
        f32x4.extract_lane 1
        f32.add
        local.get 46
        f32x4.extract_lane 2
        local.get 46
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 37
        local.get 39
        f32.store offset=8
        local.get 39
        local.get 29
        f32.lt
        if
          local.get 39
          local.set 29
          i32.const 2
          local.set 30
        end
        local.get $cn
        f32.load offset=8
        local.get 50
        f32x4.extract_lane 0
        local.get 50
        f32x4.extract_lane 1
        f32.add
        local.get 50
        f32x4.extract_lane 2
        local.get 50
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 38
        local.get 39
        f32.store offset=8
        local.get 39
        local.get 35
        f32.lt
        if
          local.get 39
          local.set 35
          i32.const 2
          local.set 36
        end
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 44
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 48
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 45
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 49
        i32.const 0
        local.set 19
        loop
          local.get 26
          local.get 19
          i32.add
          v128.load
          local.set 42
          local.get 32
          local.get 19
          i32.add
          v128.load
          local.set 43
          local.get $cent
          local.get 19
          i32.add
          v128.load offset=96
          local.set 41
          local.get 44
          local.get 42
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 44
          local.get 48
          local.get 43
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 48
          local.get $cent
          local.get 19
          i32.add
          v128.load offset=128
          local.set 41
          local.get 45
          local.get 42
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 45
          local.get 49
          local.get 43
          local.get 41
          f32x4.mul
          f32x4.add
          local.set 49
          local.get 19
          i32.const 16
          i32.add
          local.tee 19
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $cn
        f32.load offset=12
        local.get 44
        f32x4.extract_lane 0
        local.get 44
        f32x4.extract_lane 1
        f32.add
        local.get 44
        f32x4.extract_lane 2
        local.get 44
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 37
        local.get 39
        f32.store offset=12
        local.get 39
        local.get 29
        f32.lt
        if
          local.get 39
          local.set 29
          i32.const 3
          local.set 30
        end
        local.get $cn
        f32.load offset=12
        local.get 48
        f32x4.extract_lane 0
        local.get 48
        f32x4.extract_lane 1
        f32.add
        local.get 48
        f32x4.extract_lane 2
        local.get 48
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 38
        local.get 39
        f32.store offset=12
        local.get 39
        local.get 35
        f32.lt
        if
          local.get 39
          local.set 35
          i32.const 3
          local.set 36
        end
        local.get $cn
        f32.load offset=16
        local.get 45
        f32x4.extract_lane 0
        local.get 45
        f32x4.extract_lane 1
        f32.add
        local.get 45
        f32x4.extract_lane 2
        local.get 45
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 37
        local.get 39
        f32.store offset=16
        local.get 39
        local.get 29
        f32.lt
        if
          local.get 39
          local.set 29
          i32.const 4
          local.set 30
        end
        local.get $cn
        f32.load offset=16
        local.get 49
        f32x4.extract_lane 0
        local.get 49
        f32x4.extract_lane 1
        f32.add
        local.get 49
        f32x4.extract_lane 2
        local.get 49
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 39
        local.get 38
        local.get 39
        f32.store offset=16
        local.get 39
        local.get 35
        f32.lt
        if
          local.get 39
          local.set 35
          i32.const 4
          local.set 36
        end
        local.get $gamma
        local.get 28
        local.get $cnmax
        f32.add
        f32.mul
        local.set 40
        local.get 37
        local.get 37
        v128.load
        local.get 28
        f32x4.splat
        f32x4.add
        local.get 40
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store
        local.get 37
        local.get 37
        v128.load offset=16
        local.get 28
        f32x4.splat
        f32x4.add
        local.get 40
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store offset=16
        local.get 37
        f32.const inf
        f32.store offset=20
        local.get 37
        f32.const inf
        f32.store offset=24
        local.get 37
        f32.const inf
        f32.store offset=28
        local.get $upper
        local.get 25
        i32.const 4
        i32.mul
        i32.add
        local.get 28
        local.get 29
        f32.add
        local.get 40
        f32.add
        f32.const 0
        f32.max
        f32.sqrt
        f32.store
        local.get 30
        local.get 27
        i32.ne
        if
          local.get 22
          i32.const 1
          i32.add
          local.set 22
          local.get $labels
          local.get 25
          i32.add
          local.get 30
          i32.store8
          local.get $counts
          local.get 30
          i32.const 4
          i32.mul
          i32.add
          local.tee 20
          local.get 20
          i32.load
          i32.const 1
          i32.add
          i32.store
          local.get $sums
          local.get 30
          i32.const 64
          i32.mul
          i32.add
          local.set 21
          i32.const 0
          local.set 19
          loop
            local.get 21
            local.get 19
            i32.const 1
            i32.shl
            i32.add
            local.tee 20
            local.get 20
            v128.load
            local.get 26
            local.get 19
            i32.add
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.add
            v128.store
            local.get 19
            i32.const 8
            i32.add
            local.tee 19
            i32.const 32
            i32.lt_u
            br_if 0
          end
          local.get 27
          i32.const 255
          i32.ne
          if
            local.get $counts
            local.get 27
            i32.const 4
            i32.mul
            i32.add
            local.tee 20
            local.get 20
            i32.load
            i32.const -1
            i32.add
            i32.store
            local.get $sums
            local.get 27
            i32.const 64
            i32.mul
            i32.add
            local.set 21
            i32.const 0
            local.set 19
            loop
              local.get 21
              local.get 19
              i32.const 1
              i32.shl
              i32.add
              local.tee 20
              local.get 20
              v128.load
              local.get 26
              local.get 19
              i32.add
              v128.load64_zero
              f64x2.promote_low_f32x4
              f64x2.sub
              v128.store
              local.get 19
              i32.const 8
              i32.add
              local.tee 19
              i32.const 32
              i32.lt_u
              br_if 0
            end
          end
        end
        local.get $gamma
        local.get 34
        local.get $cnmax
        f32.add
        f32.mul
        local.set 40
        local.get 38
        local.get 38
        v128.load
        local.get 34
        f32x4.splat
        f32x4.add
        local.get 40
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store
        local.get 38
        local.get 38
        v128.load offset=16
        local.get 34
        f32x4.splat
        f32x4.add
        local.get 40
        f32x4.splat
        f32x4.sub
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.max
        f32x4.sqrt
        v128.store offset=16
        local.get 38
        f32.const inf
        f32.store offset=20
        local.get 38
        f32.const inf
        f32.store offset=24
        local.get 38
        f32.const inf
        f32.store offset=28
        local.get $upper
        local.get 31
        i32.const 4
        i32.mul
        i32.add
        local.get 34
        local.get 35
        f32.add
        local.get 40
        f32.add
        f32.const 0
        f32.max
        f32.sqrt
        f32.store
        local.get 36
        local.get 33
        i32.ne
        if
          local.get 22
          i32.const 1
          i32.add
          local.set 22
          local.get $labels
          local.get 31
          i32.add
          local.get 36
          i32.store8
          local.get $counts
          local.get 36
          i32.const 4
          i32.mul
          i32.add
          local.tee 20
          local.get 20
          i32.load
          i32.const 1
          i32.add
          i32.store
          local.get $sums
          local.get 36
          i32.const 64
          i32.mul
          i32.add
          local.set 21
          i32.const 0
          local.set 19
          loop
            local.get 21
            local.get 19
            i32.const 1
            i32.shl
            i32.add
            local.tee 20
            local.get 20
            v128.load
            local.get 32
            local.get 19
            i32.add
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.add
            v128.store
            local.get 19
            i32.const 8
            i32.add
            local.tee 19
            i32.const 32
            i32.lt_u
            br_if 0
          end
          local.get 33
          i32.const 255
          i32.ne
          if
            local.get $counts
            local.get 33
            i32.const 4
            i32.mul
            i32.add
            local.tee 20
            local.get 20
            i32.load
            i32.const -1
            i32.add
            i32.store
            local.get $sums
            local.get 33
            i32.const 64
            i32.mul
            i32.add
            local.set 21
            i32.const 0
            local.set 19
            loop
              local.get 21
              local.get 19
              i32.const 1
              i32.shl
              i32.add
              local.tee 20
              local.get 20
              v128.load
              local.get 32
              local.get 19
              i32.add
              v128.load64_zero
              f64x2.promote_low_f32x4
              f64x2.sub
              v128.store
              local.get 19
              i32.const 8
              i32.add
              local.tee 19
              i32.const 32
              i32.lt_u
              br_if 0
            end
          end
        end
        local.get 24
        i32.const 2
        i32.add
        local.set 24
        br 0
      end
    end
    local.get 24
    local.get $to
    i32.lt_u
    if
      local.get 24
      local.set 25
      local.get $data
      local.get $idx
      local.get 25
      i32.const 4
      i32.mul
      i32.add
      i32.load
      i32.const 32
      i32.mul
      i32.add
      local.set 26
      local.get $labels
      local.get 25
      i32.add
      i32.load8_u
      local.set 27
      local.get $xn
      local.get 25
      i32.const 4
      i32.mul
      i32.add
      f32.load
      local.set 28
      local.get 23
      i32.const 5
      i32.add
      local.set 23
      f32.const inf
      local.set 29
      i32.const 0
      local.set 30
      local.get $lower
      local.get 25
      i32.const 32
      i32.mul
      i32.add
      local.set 37
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set 44
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set 45
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set 46
      i32.const 0
      local.set 19
      loop
        local.get 26
        local.get 19
        i32.add
        v128.load
        local.set 42
        local.get $cent
        local.get 19
        i32.add
        v128.load
        local.set 41
        local.get 44
        local.get 42
        local.get 41
        f32x4.mul
        f32x4.add
        local.set 44
        local.get $cent
        local.get 19
        i32.add
        v128.load offset=32
        local.set 41
        local.get 45
        local.get 42
        local.get 41
        f32x4.mul
        f32x4.add
        local.set 45
        local.get $cent
        local.get 19
        i32.add
        v128.load offset=64
        local.set 41
        local.get 46
        local.get 42
        local.get 41
        f32x4.mul
        f32x4.add
        local.set 46
        local.get 19
        i32.const 16
        i32.add
        local.tee 19
        i32.const 32
        i32.lt_u
        br_if 0
      end
      local.get $cn
      f32.load
      local.get 44
      f32x4.extract_lane 0
      local.get 44
      f32x4.extract_lane 1
      f32.add
      local.get 44
      f32x4.extract_lane 2
      local.get 44
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set 39
      local.get 37
      local.get 39
      f32.store
      local.get 39
      local.get 29
      f32.lt
      if
        local.get 39
        local.set 29
        i32.const 0
        local.set 30
      end
      local.get $cn
      f32.load offset=4
      local.get 45
      f32x4.extract_lane 0
      local.get 45
      f32x4.extract_lane 1
      f32.add
      local.get 45
      f32x4.extract_lane 2
      local.get 45
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set 39
      local.get 37
      local.get 39
      f32.store offset=4
      local.get 39
      local.get 29
      f32.lt
      if
        local.get 39
        local.set 29
        i32.const 1
        local.set 30
      end
      local.get $cn
      f32.load offset=8
      local.get 46
      f32x4.extract_lane 0
      local.get 46
      f32x4.extract_lane 1
      f32.add
      local.get 46
      f32x4.extract_lane 2
      local.get 46
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set 39
      local.get 37
      local.get 39
      f32.store offset=8
      local.get 39
      local.get 29
      f32.lt
      if
        local.get 39
        local.set 29
        i32.const 2
        local.set 30
      end
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set 44
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set 45
      i32.const 0
      local.set 19
      loop
        local.get 26
        local.get 19
        i32.add
        v128.load
        local.set 42
        local.get $cent
        local.get 19
        i32.add
        v128.load offset=96
        local.set 41
        local.get 44
        local.get 42
        local.get 41
        f32x4.mul
        f32x4.add
        local.set 44
        local.get $cent
        local.get 19
        i32.add
        v128.load offset=128
        local.set 41
        local.get 45
        local.get 42
        local.get 41
        f32x4.mul
        f32x4.add
        local.set 45
        local.get 19
        i32.const 16
        i32.add
        local.tee 19
        i32.const 32
        i32.lt_u
        br_if 0
      end
      local.get $cn
      f32.load offset=12
      local.get 44
      f32x4.extract_lane 0
      local.get 44
      f32x4.extract_lane 1
      f32.add
      local.get 44
      f32x4.extract_lane 2
      local.get 44
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set 39
      local.get 37
      local.get 39
      f32.store offset=12
      local.get 39
      local.get 29
      f32.lt
      if
        local.get 39
        local.set 29
        i32.const 3
        local.set 30
      end
      local.get $cn
      f32.load offset=16
      local.get 45
      f32x4.extract_lane 0
      local.get 45
      f32x4.extract_lane 1
      f32.add
      local.get 45
      f32x4.extract_lane 2
      local.get 45
      f32x4.extract_lane 3
      f32.add
      f32.add
      f32.const 2
      f32.mul
      f32.sub
      local.set 39
      local.get 37
      local.get 39
      f32.store offset=16
      local.get 39
      local.get 29
      f32.lt
      if
        local.get 39
        local.set 29
        i32.const 4
        local.set 30
      end
      local.get $gamma
      local.get 28
      local.get $cnmax
      f32.add
      f32.mul
      local.set 40
      local.get 37
      local.get 37
      v128.load
      local.get 28
      f32x4.splat
      f32x4.add
      local.get 40
      f32x4.splat
      f32x4.sub
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      f32x4.max
      f32x4.sqrt
      v128.store
      local.get 37
      local.get 37
      v128.load offset=16
      local.get 28
      f32x4.splat
      f32x4.add
      local.get 40
      f32x4.splat
      f32x4.sub
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      f32x4.max
      f32x4.sqrt
      v128.store offset=16
      local.get 37
      f32.const inf
      f32.store offset=20
      local.get 37
      f32.const inf
      f32.store offset=24
      local.get 37
      f32.const inf
      f32.store offset=28
      local.get $upper
      local.get 25
      i32.const 4
      i32.mul
      i32.add
      local.get 28
      local.get 29
      f32.add
      local.get 40
      f32.add
      f32.const 0
      f32.max
      f32.sqrt
      f32.store
      local.get 30
      local.get 27
      i32.ne
      if
        local.get 22
        i32.const 1
        i32.add
        local.set 22
        local.get $labels
        local.get 25
        i32.add
        local.get 30
        i32.store8
        local.get $counts
        local.get 30
        i32.const 4
        i32.mul
        i32.add
        local.tee 20
        local.get 20
        i32.load
        i32.const 1
        i32.add
        i32.store
        local.get $sums
        local.get 30
        i32.const 64
        i32.mul
        i32.add
        local.set 21
        i32.const 0
        local.set 19
        loop
          local.get 21
          local.get 19
          i32.const 1
          i32.shl
          i32.add
          local.tee 20
          local.get 20
          v128.load
          local.get 26
          local.get 19
          i32.add
          v128.load64_zero
          f64x2.promote_low_f32x4
          f64x2.add
          v128.store
          local.get 19
          i32.const 8
          i32.add
          local.tee 19
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get 27
        i32.const 255
        i32.ne
        if
          local.get $counts
          local.get 27
          i32.const 4
          i32.mul
          i32.add
          local.tee 20
          local.get 20
          i32.load
          i32.const -1
          i32.add
          i32.store
          local.get $sums
          local.get 27
          i32.const 64
          i32.mul
          i32.add
          local.set 21
          i32.const 0
          local.set 19
          loop
            local.get 21
            local.get 19
            i32.const 1
            i32.shl
            i32.add
            local.tee 20
            local.get 20
            v128.load
            local.get 26
            local.get 19
            i32.add
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.sub
            v128.store
            local.get 19
            i32.const 8
            i32.add
            local.tee 19
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
    local.get 23
    i32.add
    i32.store
    local.get 22
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
    (local i32) ;; 19
    (local i32) ;; 20
    (local i32) ;; 21
    (local i32) ;; 22
    (local i32) ;; 23
    (local i32) ;; 24
    (local i32) ;; 25
    (local i32) ;; 26
    (local i32) ;; 27
    (local f32) ;; 28
    (local f32) ;; 29
    (local i32) ;; 30
    (local i32) ;; 31
    (local i32) ;; 32
    (local i32) ;; 33
    (local f32) ;; 34
    (local f32) ;; 35
    (local f32) ;; 36
    (local v128) ;; 37
    (local v128) ;; 38
    (local v128) ;; 39
    (local v128) ;; 40
    (local i32) ;; 41
    (local v128) ;; 42
    (local f32) ;; 43
    (local i32) ;; 44
    (local i32) ;; 45
    (local v128) ;; 46
    (local f32) ;; 47
    (local i32) ;; 48
    (local i32) ;; 49
    (local v128) ;; 50
    (local f32) ;; 51
    i32.const 0
    local.set 22
    i32.const 0
    local.set 23
    local.get $from
    local.set 24
    block
      loop
        local.get 24
        local.get $to
        i32.ge_u
        br_if 1
        block
          local.get 24
          local.set 25
          local.get $data
          local.get $idx
          local.get 25
          i32.const 4
          i32.mul
          i32.add
          i32.load
          i32.const 32
          i32.mul
          i32.add
          local.set 26
          local.get $labels
          local.get 25
          i32.add
          i32.load8_u
          local.set 27
          local.get $xn
          local.get 25
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.set 28
          local.get $lower
          local.get 25
          i32.const 32
          i32.mul
          i32.add
          local.set 31
          local.get $gamma
          local.get 28
          local.get $cnmax
          f32.add
          f32.mul
          local.set 34
          local.get $upper
          local.get 25
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.get $drift
          local.get 27
          i32.const 4
          i32.mul
          i32.add
          f32.load
          f32.add
          local.set 35
          local.get 31
          local.get 31
          v128.load
          local.get $drift
          v128.load
          f32x4.sub
          local.tee 37
          v128.store
          local.get 31
          local.get 31
          v128.load offset=16
          local.get $drift
          v128.load offset=16
          f32x4.sub
          local.tee 38
          v128.store offset=16
          local.get 35
          local.get 35
          f32.mul
          local.get 34
          f32.const 2
          f32.mul
          f32.add
          f32.const 0
          f32.max
          f32.sqrt
          local.set 36
          local.get $mincc
          local.get 27
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.get 35
          local.get 36
          f32.add
          f32.gt
          if
            local.get $upper
            local.get 25
            i32.const 4
            i32.mul
            i32.add
            local.get 35
            f32.store
            br 1
          end
          local.get $cc
          local.get 27
          i32.const 32
          i32.mul
          i32.add
          local.set 32
          local.get 37
          local.get 36
          f32x4.splat
          f32x4.le
          local.get 32
          v128.load
          local.get 35
          local.get 36
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          local.get 38
          local.get 36
          f32x4.splat
          f32x4.le
          local.get 32
          v128.load offset=16
          local.get 35
          local.get 36
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          i32.const 4
          i32.shl
          i32.or
          local.set 33
          local.get 33
          i32.eqz
          if
            local.get $upper
            local.get 25
            i32.const 4
            i32.mul
            i32.add
            local.get 35
            f32.store
            br 1
          end
          local.get 23
          i32.const 1
          i32.add
          local.set 23
          local.get $cent
          local.get 27
          i32.const 32
          i32.mul
          i32.add
          local.set 41
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set 42
          i32.const 0
          local.set 19
          loop
            local.get 26
            local.get 19
            i32.add
            v128.load
            local.set 39
            local.get 41
            local.get 19
            i32.add
            v128.load
            local.set 40
            local.get 42
            local.get 39
            local.get 40
            f32x4.mul
            f32x4.add
            local.set 42
            local.get 19
            i32.const 16
            i32.add
            local.tee 19
            i32.const 32
            i32.lt_u
            br_if 0
          end
          local.get $cn
          local.get 27
          i32.const 4
          i32.mul
          i32.add
          f32.load
          local.get 42
          f32x4.extract_lane 0
          local.get 42
          f32x4.extract_lane 1
          f32.add
          local.get 42
          f32x4.extract_lane 2
          local.get 42
          f32x4.extract_lane 3
          f32.add
          f32.add
          f32.const 2
          f32.mul
          f32.sub
          local.set 43
          local.get 43
          local.set 29
          local.get 27
          local.set 30
          local.get 28
          local.get 43
          f32.add
          local.get 34
          f32.const 1
          f32.mul
          f32.add
          f32.const 0
          f32.max
          f32.sqrt
          local.set 35
          local.get 28
          local.get 43
          f32.add
          local.get 34
          f32.const 3
          f32.mul
          f32.add
          f32.const 0
          f32.max
          f32.sqrt
          local.set 36
          local.get 37
          local.get 36
          f32x4.splat
          f32x4.le
          local.get 32
          v128.load
          local.get 35
          local.get 36
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          local.get 38
          local.get 36
          f32x4.splat
          f32x4.le
          local.get 32
          v128.load offset=16
          local.get 35
          local.get 36
          f32.add
          f32x4.splat
          f32x4.le
          v128.and
          i32x4.bitmask
          i32.const 4
          i32.shl
          i32.or
          local.set 33
          block
            loop
              local.get 33
              i32.eqz
              br_if 1
              local.get 33
              i32.ctz
              local.set 44
              local.get 33
              local.get 33
              i32.const 1
              i32.sub
              i32.and
              local.set 33
              local.get 33
              if
                local.get 33
                i32.ctz
                local.set 48
                local.get 33
                local.get 33
                i32.const 1
                i32.sub
                i32.and
                local.set 33
                local.get 23
                i32.const 2
                i32.add
                local.set 23
                local.get $cent
                local.get 44
                i32.const 32
                i32.mul
                i32.add
                local.set 45
                local.get $cent
                local.get 48
                i32.const 32
                i32.mul
                i32.add
                local.set 49
                v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                local.set 46
                v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                local.set 50
                i32.const 0
                local.set 19
                loop
                  local.get 26
                  local.get 19
                  i32.add
                  v128.load
                  local.set 39
                  local.get 45
                  local.get 19
                  i32.add
                  v128.load
                  local.set 40
                  local.get 46
                  local.get 39
                  local.get 40
                  f32x4.mul
                  f32x4.add
                  local.set 46
                  local.get 49
                  local.get 19
                  i32.add
                  v128.load
                  local.set 40
                  local.get 50
                  local.get 39
                  local.get 40
                  f32x4.mul
                  f32x4.add
                  local.set 50
                  local.get 19
                  i32.const 16
                  i32.add
                  local.tee 19
                  i32.const 32
                  i32.lt_u
                  br_if 0
                end
                local.get $cn
                local.get 44
                i32.const 4
                i32.mul
                i32.add
                f32.load
                local.get 46
                f32x4.extract_lane 0
                local.get 46
                f32x4.extract_lane 1
                f32.add
                local.get 46
                f32x4.extract_lane 2
                local.get 46
                f32x4.extract_lane 3
                f32.add
                f32.add
                f32.const 2
                f32.mul
                f32.sub
                local.set 47
                local.get $cn
                local.get 48
                i32.const 4
                i32.mul
                i32.add
                f32.load
                local.get 50
                f32x4.extract_lane 0
                local.get 50
                f32x4.extract_lane 1
                f32.add
                local.get 50
                f32x4.extract_lane 2
                local.get 50
                f32x4.extract_lane 3
                f32.add
                f32.add
                f32.const 2
                f32.mul
                f32.sub
                local.set 51
                local.get 31
                local.get 44
                i32.const 4
                i32.mul
                i32.add
                local.get 28
                local.get 47
                f32.add
                local.get 34
                f32.sub
                f32.const 0
                f32.max
                f32.sqrt
                f32.store
                local.get 47
                local.get 29
                f32.lt
                local.get 47
                local.get 29
                f32.eq
                local.get 44
                local.get 30
                i32.lt_u
                i32.and
                i32.or
                if
                  local.get 47
                  local.set 29
                  local.get 44
                  local.set 30
                end
                local.get 31
                local.get 48
                i32.const 4
                i32.mul
                i32.add
                local.get 28
                local.get 51
                f32.add
                local.get 34
                f32.sub
                f32.const 0
                f32.max
                f32.sqrt
                f32.store
                local.get 51
                local.get 29
                f32.lt
                local.get 51
                local.get 29
                f32.eq
                local.get 48
                local.get 30
                i32.lt_u
                i32.and
                i32.or
                if
                  local.get 51
                  local.set 29
                  local.get 48
                  local.set 30
                end
              else
                local.get 23
                i32.const 1
                i32.add
                local.set 23
                local.get $cent
                local.get 44
                i32.const 32
                i32.mul
                i32.add
                local.set 45
                v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                local.set 46
                i32.const 0
                local.set 19
                loop
                  local.get 26
                  local.get 19
                  i32.add
                  v128.load
                  local.set 39
                  local.get 45
                  local.get 19
                  i32.add
                  v128.load
                  local.set 40
                  local.get 46
                  local.get 39
                  local.get 40
                  f32x4.mul
                  f32x4.add
                  local.set 46
                  local.get 19
                  i32.const 16
                  i32.add
                  local.tee 19
                  i32.const 32
                  i32.lt_u
                  br_if 0
                end
                local.get $cn
                local.get 44
                i32.const 4
                i32.mul
                i32.add
                f32.load
                local.get 46
                f32x4.extract_lane 0
                local.get 46
                f32x4.extract_lane 1
                f32.add
                local.get 46
                f32x4.extract_lane 2
                local.get 46
                f32x4.extract_lane 3
                f32.add
                f32.add
                f32.const 2
                f32.mul
                f32.sub
                local.set 47
                local.get 31
                local.get 44
                i32.const 4
                i32.mul
                i32.add
                local.get 28
                local.get 47
                f32.add
                local.get 34
                f32.sub
                f32.const 0
                f32.max
                f32.sqrt
                f32.store
                local.get 47
                local.get 29
                f32.lt
                local.get 47
                local.get 29
                f32.eq
                local.get 44
                local.get 30
                i32.lt_u
                i32.and
                i32.or
                if
                  local.get 47
                  local.set 29
                  local.get 44
                  local.set 30
                end
              end
              br 0
            end
          end
          local.get 30
          local.get 27
          i32.ne
          if
            local.get 31
            local.get 27
            i32.const 4
            i32.mul
            i32.add
            local.get 28
            local.get 43
            f32.add
            local.get 34
            f32.sub
            f32.const 0
            f32.max
            f32.sqrt
            f32.store
            local.get 28
            local.get 29
            f32.add
            local.get 34
            f32.add
            f32.const 0
            f32.max
            f32.sqrt
            local.set 35
            local.get 30
            local.get 27
            i32.ne
            if
              local.get 22
              i32.const 1
              i32.add
              local.set 22
              local.get $labels
              local.get 25
              i32.add
              local.get 30
              i32.store8
              local.get $counts
              local.get 30
              i32.const 4
              i32.mul
              i32.add
              local.tee 20
              local.get 20
              i32.load
              i32.const 1
              i32.add
              i32.store
              local.get $sums
              local.get 30
              i32.const 64
              i32.mul
              i32.add
              local.set 21
              i32.const 0
              local.set 19
              loop
                local.get 21
                local.get 19
                i32.const 1
                i32.shl
                i32.add
                local.tee 20
                local.get 20
                v128.load
                local.get 26
                local.get 19
                i32.add
                v128.load64_zero
                f64x2.promote_low_f32x4
                f64x2.add
                v128.store
                local.get 19
                i32.const 8
                i32.add
                local.tee 19
                i32.const 32
                i32.lt_u
                br_if 0
              end
              local.get 27
              i32.const 255
              i32.ne
              if
                local.get $counts
                local.get 27
                i32.const 4
                i32.mul
                i32.add
                local.tee 20
                local.get 20
                i32.load
                i32.const -1
                i32.add
                i32.store
                local.get $sums
                local.get 27
                i32.const 64
                i32.mul
                i32.add
                local.set 21
                i32.const 0
                local.set 19
                loop
                  local.get 21
                  local.get 19
                  i32.const 1
                  i32.shl
                  i32.add
                  local.tee 20
                  local.get 20
                  v128.load
                  local.get 26
                  local.get 19
                  i32.add
                  v128.load64_zero
                  f64x2.promote_low_f32x4
                  f64x2.sub
                  v128.store
                  local.get 19
                  i32.const 8
                  i32.add
                  local.tee 19
                  i32.const 32
                  i32.lt_u
                  br_if 0
                end
              end
            end
          end
          local.get $upper
          local.get 25
          i32.const 4
          i32.mul
          i32.add
          local.get 35
          f32.store
        end
        local.get 24
        i32.const 1
        i32.add
        local.set 24
        br 0
      end
    end
    local.get $scored
    local.get $scored
    i32.load
    local.get 23
    i32.add
    i32.store
    local.get 22
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
    (local i32) ;; 19
    (local i32) ;; 20
    (local i32) ;; 21
    (local i32) ;; 22
    (local i32) ;; 23
    (local i32) ;; 24
    (local i32) ;; 25
    (local i32) ;; 26
    (local i32) ;; 27
    (local f32) ;; 28
    (local f32) ;; 29
    (local i32) ;; 30
    (local i32) ;; 31
    (local v128) ;; 32
    (local f32) ;; 33
    (local v128) ;; 34
    (local v128) ;; 35
    i32.const 0
    local.set 22
    i32.const 0
    local.set 23
    local.get $from
    local.set 24
    block
      loop
        local.get 24
        local.get $to
        i32.ge_u
        br_if 1
        local.get 24
        local.set 25
        local.get $data
        local.get $idx
        local.get 25
        i32.const 4
        i32.mul
        i32.add
        i32.load
        i32.const 32
        i32.mul
        i32.add
        local.set 26
        local.get $labels
        local.get 25
        i32.add
        i32.load8_u
        local.set 27
        local.get $xn
        local.get 25
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.set 28
        local.get 23
        i32.const 1
        i32.add
        local.set 23
        local.get $cent
        local.get 27
        i32.const 32
        i32.mul
        i32.add
        local.set 31
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 32
        i32.const 0
        local.set 19
        loop
          local.get 26
          local.get 19
          i32.add
          v128.load
          local.set 34
          local.get 31
          local.get 19
          i32.add
          v128.load
          local.set 35
          local.get 32
          local.get 34
          local.get 35
          f32x4.mul
          f32x4.add
          local.set 32
          local.get 19
          i32.const 16
          i32.add
          local.tee 19
          i32.const 32
          i32.lt_u
          br_if 0
        end
        local.get $cn
        local.get 27
        i32.const 4
        i32.mul
        i32.add
        f32.load
        local.get 32
        f32x4.extract_lane 0
        local.get 32
        f32x4.extract_lane 1
        f32.add
        local.get 32
        f32x4.extract_lane 2
        local.get 32
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.const 2
        f32.mul
        f32.sub
        local.set 33
        local.get $own
        local.get 25
        i32.const 4
        i32.mul
        i32.add
        local.get 33
        f32.store
        local.get 24
        i32.const 1
        i32.add
        local.set 24
        br 0
      end
    end
    local.get $scored
    local.get $scored
    i32.load
    local.get 23
    i32.add
    i32.store
    local.get 22
  )
)
