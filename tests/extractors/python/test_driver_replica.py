"""A database driver's own connection or pool to a replica is a replica read (psycopg, asyncpg, pymysql...)."""

from __future__ import annotations

from extractors.python.extractor import EXTRACTOR


def _replicas(source: str):
    result = EXTRACTOR.extract("svc/db.py", source.encode())
    return [(f.line, f.attributes["alias"], f.attributes["mechanism"]) for f in result.findings if f.kind == "replica_read"]


def test_psycopg_connect_to_an_env_default_replica_dsn():
    src = (
        "import os\nimport psycopg\n"
        "REPLICA_DSN = os.environ.get('RISK_REPLICA_DSN', 'postgresql://risk@risk-replica:5432/risk')\n"
        "def rows():\n"
        "    with psycopg.connect(REPLICA_DSN, connect_timeout=3) as conn:\n"
        "        return conn.execute('select 1').fetchall()\n"
    )
    assert _replicas(src) == [(5, "risk-replica", "driver_connect")]


def test_asyncpg_pool_and_pymysql_host():
    src = (
        "import asyncpg, pymysql\n"
        "async def pool():\n"
        "    return await asyncpg.create_pool(dsn='postgres://app@orders-reader.internal/orders')\n"
        "READ_REPLICA_HOST = 'db-ro'\n"
        "conn = pymysql.connect(host=READ_REPLICA_HOST, user='app')\n"
    )
    assert _replicas(src) == [(3, "orders-reader.internal", "driver_connect"), (5, "db-ro", "driver_connect")]


def test_primary_connections_and_words_are_not_replicas():
    src = (
        "import psycopg, psycopg2\n"
        "# the replica is only for reports\n"
        "PRIMARY_DSN = 'postgresql://risk@risk-db:5432/risk'\n"
        "conn = psycopg.connect(PRIMARY_DSN)\n"
        "other = psycopg2.connect('dbname=risk host=db')\n"
        "note = 'connect to the replica for reports'\n"
        "replica_connect = connect_later\n"
    )
    assert _replicas(src) == []
