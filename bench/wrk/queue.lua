-- eimza — load: the staff queue, GET /api/v1/admin/applications?limit=50, as an approver.
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local tok
function setup(t) L.setup(t) end
function init() tok = L.lines("staff_token")[1] end
function request()
  return wrk.format("GET", "/api/v1/admin/applications?limit=50",
    {["Authorization"] = "Bearer " .. tok})
end
function response(status) L.count(status) end
function done(s, l) L.done("queue", s, l) end
