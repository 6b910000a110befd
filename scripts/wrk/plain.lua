-- A browser-like request (an empty User-Agent counts as a crawler).
package.path = package.path .. ";./scripts/wrk/?.lua"
local report = require("report")
wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile bench"
wrk.headers["Accept-Language"] = "vi-VN,vi;q=0.9"
done = report.done
