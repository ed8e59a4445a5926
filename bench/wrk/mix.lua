-- eimza — the soak's steady load (tests/soak/soak.sh): a fixed mix of the applicant's and the
-- staff's requests, chosen in a repeating order so every run sends the same mix:
--   status 50%, staff queue 15%, new captcha 10%, healthz 10%, captcha picture 5%, form save 5%,
--   SMS code 5%.
-- The form saves change the address only: a save with the security word costs an Argon2id hash
-- of 64 MiB, allocated and given back per request, which would make the memory samples
-- measure how many hashes happen to run at that instant (bench/wrk/form.lua measures that
-- path's rate).
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local tok, staff, n = nil, nil, 0
local order = {"status", "queue", "status", "captcha", "status", "healthz", "status", "queue",
  "status", "form", "status", "captcha", "status", "healthz", "status", "queue", "status",
  "picture", "status", "code"}
local body = '{"address":"Soak Sokağı No: 1","postal_code":"72100"}'
local picture = nil
function setup(t) L.setup(t) end
function init()
  tok = L.rotor(L.lines("tokens"))
  staff = L.lines("staff_token")[1]
  n = (id or 0) * 3
end
function request()
  n = n % #order + 1
  local k = order[n]
  if k == "status" then
    return wrk.format("GET", "/api/v1/application/status", {["Authorization"] = "Bearer " .. tok()})
  elseif k == "queue" then
    return wrk.format("GET", "/api/v1/admin/applications?limit=50",
      {["Authorization"] = "Bearer " .. staff})
  elseif k == "captcha" then
    return wrk.format("GET", "/api/v1/captcha")
  elseif k == "picture" and picture then
    return wrk.format("GET", "/api/v1/captcha/" .. picture .. ".png")
  elseif k == "form" then
    return wrk.format("PUT", "/api/v1/application", {["Authorization"] = "Bearer " .. tok(),
      ["Content-Type"] = "application/json"}, body)
  elseif k == "code" then
    return wrk.format("POST", "/api/v1/application/otp", {["Authorization"] = "Bearer " .. tok()})
  end
  return wrk.format("GET", "/healthz")
end
function response(status, headers, body)
  L.count(status)
  local c = body and body:match('"id":"(%x+)"')
  if c then picture = c end
end
function done(s, l) L.done("mix", s, l) end
