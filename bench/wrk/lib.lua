-- eimza — shared by the load scripts of bench/wrk/ (wrk's LuaJIT; loaded with dofile by each).
-- The files prepare.py wrote are read from EIMZA_WRK_DIR: tokens (applicant sessions, one a
-- line), staff_token, sig.der, login. Every script counts its answers by status in each thread
-- and prints them at the end, with the latency percentiles, as one line a shell can read:
--   result <name> requests=N rps=R p50_ms=A p99_ms=B max_ms=C status_200=N ... errors=E
local M = {}
M.dir = os.getenv("EIMZA_WRK_DIR") or "."

function M.lines(name)
  local t = {}
  local f = io.open(M.dir .. "/" .. name, "rb")
  if not f then return t end
  for l in f:lines() do if #l > 0 then t[#t + 1] = l end end
  f:close()
  return t
end

function M.file(name)
  local f = assert(io.open(M.dir .. "/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- wrk's hooks: thread ids for spreading the sessions, answers counted by status.
local threads = {}
local next_id = 0
function M.setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

statuses = {}
function M.count(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function M.done(name, summary, latency)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses") or {}) do all[k] = (all[k] or 0) + v end
  end
  local secs = summary.duration / 1e6
  local line = string.format("result %s requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
    name, summary.requests, summary.requests / secs, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000)
  local keys = {}
  for k in pairs(all) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do line = line .. string.format(" status_%d=%d", k, all[k]) end
  local e = summary.errors
  line = line .. string.format(" errors=%d timeouts=%d", e.connect + e.read + e.write, e.timeout)
  io.write(line .. "\n")
end

-- the applicant sessions, each thread starting at a different one
function M.rotor(list)
  local i = (id or 0) * 7
  return function()
    i = i % #list + 1
    return list[i]
  end
end

return M
