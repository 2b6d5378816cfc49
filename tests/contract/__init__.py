"""Black-box tests of CONTRACT.md over HTTP, run against every stack."""
