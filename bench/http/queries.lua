-- wrk script: rotates through realistic search requests (text, filters, facets, distance, study by ID).
-- wrk -t2 -c32 -d20s -s bench/http/queries.lua http://127.0.0.1:8080
local paths = {
  "/api/v2/studies?query.cond=aplastic%20anemia&pageSize=10",
  "/api/v2/studies?query.intr=herombopag",
  "/api/v2/studies?query.term=thrombocytopenia&filter.overallStatus=COMPLETED&facets=overallStatus,phase",
  "/api/v2/studies?query.cond=breast%20cancer&filter.phase=PHASE2,PHASE3&pageSize=20",
  "/api/v2/studies?query.term=insulin&sort=LastUpdatePostDate:desc",
  "/api/v2/studies?filter.geo=distance(39.92,-105.08,100km)&sort=@distance",
  "/api/v2/studies?query.term=%22randomized%20trial%22%20AND%20(pain%20OR%20fatigue)&fields=NCTId,BriefTitle",
  "/api/v2/studies/NCT06964971",
  "/api/v2/studies?query.cond=HIV&filter.age=30&facets=all",
  "/api/v2/studies?query.term=vaccine&filter.country=United%20States&pageSize=50",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
