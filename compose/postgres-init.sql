-- One database per service on the compose file's PostgreSQL server: no service reads
-- another's tables. Runs once, when the server's volume is first created.
CREATE DATABASE catalog OWNER shop;
CREATE DATABASE orders OWNER shop;
CREATE DATABASE payments OWNER shop;
CREATE DATABASE storefront OWNER shop;
CREATE DATABASE gateway OWNER shop;
CREATE DATABASE reports OWNER shop;
