-- eimza — load: GET /api/v1/application/status over many applicant sessions (bench/load.sh
-- runs it with status_cache_ms = 0 unless told otherwise: every answer read from the database).
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local tok
function setup(t) L.setup(t) end
function init() tok = L.rotor(L.lines("tokens")) end
function request()
  return wrk.format("GET", "/api/v1/application/status", {["Authorization"] = "Bearer " .. tok()})
end
function response(status) L.count(status) end
function done(s, l) L.done("status", s, l) end
