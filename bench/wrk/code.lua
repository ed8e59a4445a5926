-- eimza — load: POST /api/v1/application/otp (a new SMS code: the code state, the outbox
-- message and the audit entry in one transaction) over many applicant sessions. The server
-- runs with otp_cooldown = 0 and otp_max_per_hour = 100; past 100 codes a session gets 429.
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local tok
function setup(t) L.setup(t) end
function init() tok = L.rotor(L.lines("tokens")) end
function request()
  return wrk.format("POST", "/api/v1/application/otp", {["Authorization"] = "Bearer " .. tok()})
end
function response(status) L.count(status) end
function done(s, l) L.done("code", s, l) end
