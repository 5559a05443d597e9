--
-- PostgreSQL database dump
--

\restrict MN9fdVx7ZisgZ82AZhNZMwDCs9xcG7eiPBUXYsC9NXQTHiI7PCvGNncK43mPx5b

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: dtb_customer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dtb_customer (
    customer_id integer NOT NULL,
    name01 character varying(255) NOT NULL,
    name02 character varying(255),
    kana01 character varying(255),
    kana02 character varying(255),
    zip01 character varying(3),
    zip02 character varying(4),
    pref smallint,
    addr01 character varying(255),
    addr02 character varying(255),
    email character varying(255),
    phone_number character varying(14),
    birth date
);


--
-- Name: dtb_note; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dtb_note (
    id integer NOT NULL,
    customer_id integer,
    note text,
    secret bytea
);


--
-- Data for Name: dtb_customer; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.dtb_customer VALUES (1, '山田', '太郎', 'ヤマダ', 'タロウ', '100', '0001', 13, '千代田区千代田', '1-1', 'taro.yamada@example.jp', '09012345678', '1980-04-01');
INSERT INTO public.dtb_customer VALUES (2, 'O''Brien', '花子', 'オブライエン', 'ハナコ', '530', '0001', 27, '大阪市北区梅田', '2-2-2 梅田ビル\5F', 'hanako@example.com', '0312345678', NULL);
INSERT INTO public.dtb_customer VALUES (3, '佐藤', '一郎', 'サトウ', 'イチロウ', '060', '0001', 1, '札幌市中央区北1条西', '3-3
（裏口）', 'ichiro@example.net', '08011112222', '1975-12-31');
INSERT INTO public.dtb_customer VALUES (4, '鈴木', '次郎', 'スズキ', 'ジロウ', '980', '0001', 4, '仙台市青葉区	中央', '4-4 (A,B),(C)', 'jiro@example.org', '07033334444', '1990-01-15');


--
-- Data for Name: dtb_note; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.dtb_note VALUES (1, 1, '配達は午後 ''いつも'' お願いします', '\x48656c6c6f');
INSERT INTO public.dtb_note VALUES (2, 3, NULL, '\x48656c6c6f');


--
-- Name: dtb_customer dtb_customer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dtb_customer
    ADD CONSTRAINT dtb_customer_pkey PRIMARY KEY (customer_id);


--
-- Name: dtb_note dtb_note_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dtb_note
    ADD CONSTRAINT dtb_note_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict MN9fdVx7ZisgZ82AZhNZMwDCs9xcG7eiPBUXYsC9NXQTHiI7PCvGNncK43mPx5b

