-- eimza — load: the applicant login as a browser does it: GET /api/v1/captcha, the answer
-- (GET /dev/captcha/{id}, --dev only), POST /api/v1/login (an Argon2id-free check of the
-- person, a session written). Three requests per login, in order, so each wrk thread must
-- have exactly one connection (-c equal to -t). "logins" counts the logins answered 200.
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local step, cid, answer, who = 1, nil, nil, nil
logins = 0
function setup(t) L.setup(t) end
function init()
  local f = {}
  for v in (L.lines("login")[1] .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = v end
  who = f
end
function request()
  if step == 1 then return wrk.format("GET", "/api/v1/captcha") end
  if step == 2 then return wrk.format("GET", "/dev/captcha/" .. cid) end
  local body = string.format('{"tckn":"%s","first_name":"%s","last_name":"%s",' ..
    '"birth_place":"%s","birth_date":"%s","captcha_id":"%s","captcha_answer":"%s"}',
    who[1], who[2], who[3], who[4], who[5], cid, answer)
  return wrk.format("POST", "/api/v1/login", {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if step == 1 then
    cid = body:match('"id":"(%x+)"')
    step = cid and 2 or 1
  elseif step == 2 then
    answer = body:match('"answer":"(%w+)"')
    step = answer and 3 or 1
  else
    L.count(status)
    if status == 200 then logins = logins + 1 end
    step = 1
  end
end
function done(s, l) L.done("login", s, l) end
