"""DSN timeouts written in the literal parts of a DSN built around an environment value."""

from extractors.go.extractor import EXTRACTOR

SOURCE = b'''package store

import (
	"database/sql"
	"fmt"
	"log"
	"os"
)

func Open() (*sql.DB, *sql.DB, error) {
	primary, err := sql.Open("mysql", os.Getenv("ORDERS_DSN")+"?timeout=5s&readTimeout=3s")
	if err != nil {
		return nil, nil, err
	}
	log.Printf("opening with timeout=%s", os.Getenv("DB_TIMEOUT"))
	other, err := sql.Open("postgres", fmt.Sprintf("host=%s connect_timeout=%d", os.Getenv("PGHOST"), 7))
	return primary, other, err
}
'''


def test_literal_dsn_parameters_count_and_a_format_verb_is_valued_by_its_argument():
    findings = EXTRACTOR.extract("internal/store/db.go", SOURCE).findings
    got = sorted((f.line, f.attributes["phase"], f.attributes["timeout_ms"], f.attributes["resolved_from"])
                 for f in findings if f.kind == "timeout")
    # round 19: `connect_timeout=%d` filled with 7 is 7 s (the verb is not read as a value, its argument is)
    assert got == [(11, "connect", 5000, "literal"), (11, "read", 3000, "literal"), (16, "connect", 7000, "literal")]
