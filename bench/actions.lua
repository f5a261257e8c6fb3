-- wrk script for bench/actions: each wrk thread is one reviewer with one connection, its own
-- session and its own list of emails; it approves, edits and rejects them in turn (3:1:1),
-- the way the queue's JavaScript posts its forms (JSON answers, CSRF header).
local dir = os.getenv("BENCH_ACTIONS_DIR")
local count = 0

function setup(thread)
  count = count + 1
  thread:set("reviewer", count)
end

local ids, cookie, token, position, edited

function init(args)
  local file = assert(io.open(dir .. "/reviewer-" .. reviewer .. ".txt"))
  cookie = file:read("*l")
  token = file:read("*l")
  ids = {}
  for line in file:lines() do ids[#ids + 1] = line end
  file:close()
  edited = "body=" .. string.rep("Edited%20by%20the%20bench%20reviewer%20to%20sound%20less%20corporate.%20", 20)
  position = 0
end

function request()
  position = position + 1
  local id = ids[position]
  if id == nil then
    -- out of emails: fail loudly rather than measure something else
    error("reviewer " .. reviewer .. " ran out of emails after " .. (position - 1))
  end
  local headers = {
    ["Cookie"] = cookie,
    ["X-CSRF-Token"] = token,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  local kind = position % 5
  if kind == 3 then
    return wrk.format("POST", "/review/" .. id .. "/edit", headers, edited)
  elseif kind == 4 then
    return wrk.format("POST", "/review/" .. id .. "/reject", headers, "reason=tone_too_corporate&details=bench")
  end
  return wrk.format("POST", "/review/" .. id .. "/approve", headers, "")
end
