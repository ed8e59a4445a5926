-- eimza — load: POST /api/v1/application/signature with a CAdES over the applicant's own
-- content signed with somebody else's qualified certificate: the server parses the CMS,
-- renders the content again, checks the signature, the signing-certificate attribute, the
-- chain, the dates and the qualified profile, and refuses it as 422 tckn_mismatch (the
-- revocation check, which comes after, is not reached; nothing is written).
local L = dofile((os.getenv("EIMZA_WRK_LIB") or "bench/wrk") .. "/lib.lua")
local sig, tok
function setup(t) L.setup(t) end
function init()
  sig = L.file("sig.der")
  tok = L.lines("sig_token")[1]
end
function request()
  return wrk.format("POST", "/api/v1/application/signature", {["Authorization"] = "Bearer " .. tok,
    ["Content-Type"] = "application/pkcs7-signature"}, sig)
end
function response(status) L.count(status) end
function done(s, l) L.done("signature", s, l) end
