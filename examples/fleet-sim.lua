-- wrk request mix for examples/fleet-sim.sh: a client listing models plus a scanner trying the
-- wrong methods. None of these (method, route) pairs is ever sent by the demo's own traffic
-- generator (GET and POST elsewhere), so their counters on Prometheus must add up exactly to what
-- wrk reports.
local requests = {}
local i = 0

init = function(args)
  requests[1] = wrk.format("GET", "/v1/models")
  requests[2] = wrk.format("OPTIONS", "/hello")
  requests[3] = wrk.format("PUT", "/users/42/orders", { ["Content-Type"] = "application/json" }, "{}")
  requests[4] = wrk.format("DELETE", "/v1/models")
end

request = function()
  i = i % #requests + 1
  return requests[i]
end

-- One machine-readable line next to wrk's own report.
done = function(summary, latency, requests)
  io.write(string.format("FLEETSIM requests=%d duration_us=%d errors=%d\n", summary.requests,
    summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
