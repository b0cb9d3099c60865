-- A random ?id= per request, so every proxy hashes a different key each time (the spec's request id).
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/home?id=" .. math.random(1, 999999))
end
