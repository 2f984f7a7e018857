dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")
wrk.headers["Authorization"] = nil
wrk.method = "POST"
wrk.path = "/api/v1/auth/login"
wrk.body = '{"email": "' .. os.getenv("BENCH_EMAIL") .. '", "password": "' .. os.getenv("BENCH_PASSWORD") .. '"}'
