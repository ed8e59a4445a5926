-- eimza — load: GET /healthz (a database ping): the baseline the other paths are compared
-- with, measured in the same run.
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
function setup(t) L.setup(t) end
function request() return wrk.format("GET", "/healthz") end
function response(status) L.count(status) end
function done(s, l) L.done("healthz", s, l) end
