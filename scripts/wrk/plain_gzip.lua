-- plain.lua, from a browser that takes gzip (Accept-Encoding), as every browser does.
package.path = package.path .. ";./scripts/wrk/?.lua"
local report = require("report")
wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile bench"
wrk.headers["Accept-Language"] = "vi-VN,vi;q=0.9"
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
done = report.done
