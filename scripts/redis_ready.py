"""Exit 0 when the Redis at the URL in argv[1] answers a PING."""

import sys

import redis

try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
except redis.RedisError:
    sys.exit(1)
