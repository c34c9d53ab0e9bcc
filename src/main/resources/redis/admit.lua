-- Conduit: admit one request against rate-limit windows and spend accounts, all or nothing.
-- Mirrors dev.conduit.keys.counters.LocalCounters#admit.
--
-- KEYS: nw window counters, then two keys per account: its hash (fields: spent, reserved,
--   r:<reservation id> = amount) and its sorted set of open reservations (score: expiry ms).
-- ARGV: now_ms, nw, na, reservation_id, reserve_nanos, reservation_expiry_ms,
--   then per window: limit, amount, ttl_ms,
--   then per account: limit (-1: none), seed (-1: unknown), ttl_ms.
-- TTLs are relative (PEXPIRE), so a gateway whose clock differs from Redis's still keeps its
-- counters for the right time; reservation expiry is compared with the gateway's own now_ms.
-- Amounts travel as strings: Lua numbers are doubles and would print large ones as 1e+15.
-- Returns {'ok', window counts..., (spent, reserved) per account...} | {'rate', i, count}
--   | {'budget', j, spent, reserved} | {'seed', j...}
local now = tonumber(ARGV[1])
local nw = tonumber(ARGV[2])
local na = tonumber(ARGV[3])
local rid = ARGV[4]
local amount = ARGV[5]
local rexpiry = ARGV[6]
local wbase = 6
local abase = 6 + 3 * nw

for i = 1, nw do
  local limit = tonumber(ARGV[wbase + 3 * (i - 1) + 1])
  local add = tonumber(ARGV[wbase + 3 * (i - 1) + 2])
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count + add > limit then
    return {'rate', i, tostring(count)}
  end
end

local missing = {}
for j = 1, na do
  local hash = KEYS[nw + 2 * j - 1]
  if redis.call('EXISTS', hash) == 0 then
    local seed = ARGV[abase + 3 * (j - 1) + 2]
    if tonumber(seed) < 0 then
      missing[#missing + 1] = j
    else
      redis.call('HSET', hash, 'spent', seed, 'reserved', '0')
    end
  end
end
if #missing > 0 then
  return {'seed', unpack(missing)}
end

local spent = {}
local reserved = {}
for j = 1, na do
  local hash = KEYS[nw + 2 * j - 1]
  local open = KEYS[nw + 2 * j]
  local expired = redis.call('ZRANGEBYSCORE', open, '-inf', now)
  for _, id in ipairs(expired) do
    local held = redis.call('HGET', hash, 'r:' .. id)
    if held then
      redis.call('HINCRBY', hash, 'reserved', '-' .. held)
      redis.call('HDEL', hash, 'r:' .. id)
    end
    redis.call('ZREM', open, id)
  end
  local s = redis.call('HGET', hash, 'spent') or '0'
  local r = redis.call('HGET', hash, 'reserved') or '0'
  local limit = tonumber(ARGV[abase + 3 * (j - 1) + 1])
  if limit >= 0 and tonumber(s) + tonumber(r) + tonumber(amount) > limit then
    return {'budget', j, s, r}
  end
  spent[j] = s
  reserved[j] = r
end

local reply = {'ok'}
for i = 1, nw do
  local count = redis.call('INCRBY', KEYS[i], ARGV[wbase + 3 * (i - 1) + 2])
  redis.call('PEXPIRE', KEYS[i], ARGV[wbase + 3 * (i - 1) + 3])
  reply[#reply + 1] = tostring(count)
end
for j = 1, na do
  local hash = KEYS[nw + 2 * j - 1]
  local open = KEYS[nw + 2 * j]
  if tonumber(amount) > 0 then
    redis.call('HINCRBY', hash, 'reserved', amount)
    reserved[j] = redis.call('HGET', hash, 'reserved')
    redis.call('HSET', hash, 'r:' .. rid, amount)
    redis.call('ZADD', open, rexpiry, rid)
  end
  local ttl = ARGV[abase + 3 * (j - 1) + 3]
  redis.call('PEXPIRE', hash, ttl)
  redis.call('PEXPIRE', open, ttl)
  reply[#reply + 1] = spent[j]
  reply[#reply + 1] = reserved[j]
end
return reply
