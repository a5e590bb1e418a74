"""Public affairs (公共事务, PRODUCT.md area 3): move-in, renovation, goods release, parking, visitors,
lost and found."""
