-- plain.lua, from a browser that takes gzip (Accept-Encoding), as every browser does.
dofile("./scripts/wrk/plain.lua")
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
