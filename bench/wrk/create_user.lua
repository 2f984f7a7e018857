dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")
-- Every request creates a new user with a unique email (thread id + counter + run nonce), the
-- way HR adds colleagues: no password in the body, so the service emails a set-password link.
-- (A body with a password costs one bcrypt hash, ~0.3 s at 12 rounds, like login.)
local counter = 0
local thread_id = 0
local nonce = os.getenv("BENCH_NONCE") or "0"
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
end

function init(args)
  thread_id = tid or 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"email": "u%s-%d-%d@bench.test", "name": "Bench User %d", "role": "EMPLOYEE"}',
    nonce, thread_id, counter, counter)
  return wrk.format("POST", "/api/v1/users", nil, body)
end
