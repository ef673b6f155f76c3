-- GET one trainee by id, chosen at random from ids.txt; the path prefix comes from the environment.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local prefix = os.getenv("PATH_PREFIX")
local token = os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local headers = {}
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", prefix .. ids[math.random(#ids)], headers)
end
