package com.acme.catalog;

public class CatalogApplication {
    public static void main(String[] args) {
        System.out.println("catalog");
    }
}
