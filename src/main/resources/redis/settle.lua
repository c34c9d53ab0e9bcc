-- Conduit: settle one admitted request: release its reservation, add its actual cost, and
-- correct its tokens-per-minute window. Mirrors dev.conduit.keys.counters.LocalCounters#settle.
--
-- KEYS: two keys per account (hash, open reservations), then the token window (or a dummy).
-- ARGV: reservation_id ('' for none), actual_nanos, na, token_delta, has_token_window (0/1),
--   then per account: seed (-1: unknown), ttl_ms.
-- A missing account is created from its seed, which already includes this request's cost
-- (the gateway records spend before it settles counters).
-- Returns {'ok', (spent, created) per account...} | {'seed', j...}; created is 1 when the
-- account was created from its seed (the seed covers every cost recorded before it was read).
local rid = ARGV[1]
local actual = ARGV[2]
local na = tonumber(ARGV[3])
local delta = ARGV[4]
local hasWindow = ARGV[5] == '1'
local base = 5

local missing = {}
for j = 1, na do
  if redis.call('EXISTS', KEYS[2 * j - 1]) == 0 and tonumber(ARGV[base + 2 * (j - 1) + 1]) < 0 then
    missing[#missing + 1] = j
  end
end
if #missing > 0 then
  return {'seed', unpack(missing)}
end

local reply = {'ok'}
for j = 1, na do
  local hash = KEYS[2 * j - 1]
  local open = KEYS[2 * j]
  local created = '0'
  if redis.call('EXISTS', hash) == 0 then
    redis.call('HSET', hash, 'spent', ARGV[base + 2 * (j - 1) + 1], 'reserved', '0')
    created = '1'
  else
    if rid ~= '' then
      local held = redis.call('HGET', hash, 'r:' .. rid)
      if held then
        redis.call('HINCRBY', hash, 'reserved', '-' .. held)
        redis.call('HDEL', hash, 'r:' .. rid)
        redis.call('ZREM', open, rid)
      end
    end
    redis.call('HINCRBY', hash, 'spent', actual)
  end
  redis.call('PEXPIRE', hash, ARGV[base + 2 * (j - 1) + 2])
  reply[#reply + 1] = redis.call('HGET', hash, 'spent')
  reply[#reply + 1] = created
end
if hasWindow and tonumber(delta) ~= 0 and redis.call('EXISTS', KEYS[2 * na + 1]) == 1 then
  redis.call('INCRBY', KEYS[2 * na + 1], delta)
end
return reply
