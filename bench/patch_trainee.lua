-- PATCH (merge patch) a random trainee's yearsOfTeachingExperience.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local token = os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local body = '{"yearsOfTeachingExperience":' .. math.random(0, 30) .. '}'
  return wrk.format("PATCH", "/api/v1/trainees/" .. ids[math.random(#ids)],
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/merge-patch+json" }, body)
end
