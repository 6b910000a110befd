-- Rotates through the paths listed (one per line) in the file named by BENCH_PATHS.
package.path = package.path .. ";./scripts/wrk/?.lua"
local report = require("report")
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then table.insert(paths, line) end
end
local i = 0

function request()
  i = i % #paths + 1
  wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile bench"
  return wrk.format("GET", paths[i])
end

done = report.done
