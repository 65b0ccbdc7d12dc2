package main

import (
	"net/http"
	"os"
	"time"
)

var catalogURL = getenv("CATALOG_SERVICE_URL", "http://catalog:8080")

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

var client = &http.Client{Timeout: 5 * time.Second}

func fetchPrices(sku string) (*http.Response, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := client.Get(catalogURL + "/prices/" + sku)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	return nil, lastErr
}
