-- eimza — load: PUT /api/v1/application (the form saved again, security word included: an
-- Argon2id hash per request) over many applicant sessions.
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local tok
local body = '{"security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük",' ..
  '"address":"Yük Sokağı No: 1","postal_code":"72100","mobile_operator":"turkcell"}'
function setup(t) L.setup(t) end
function init() tok = L.rotor(L.lines("tokens")) end
function request()
  return wrk.format("PUT", "/api/v1/application", {["Authorization"] = "Bearer " .. tok(),
    ["Content-Type"] = "application/json"}, body)
end
function response(status) L.count(status) end
function done(s, l) L.done("form", s, l) end
