-- Calls priced in units besides tokens (PostgreSQL): images, audio seconds, characters, rerank search
-- units. Each request log row says what it consumed (unit_kind: images, audio_seconds, characters
-- or search_units; NULL for token-only calls); the archive keeps the same columns in the same
-- order. Prices gain a rate per unit, in nano-dollars: per second of audio, per million characters,
-- per search unit, and per image by variant (a JSON object {"1024x1024/hd": nanos, "512x512":
-- nanos, ...} whose entries override per_image_nanos). Rollups are unchanged: cost_nanos already
-- includes the units' cost.

ALTER TABLE request_logs ADD COLUMN unit_kind TEXT;
ALTER TABLE request_logs ADD COLUMN units DOUBLE PRECISION;
ALTER TABLE request_logs_archive ADD COLUMN unit_kind TEXT;
ALTER TABLE request_logs_archive ADD COLUMN units DOUBLE PRECISION;

ALTER TABLE model_costs ADD COLUMN per_audio_second_nanos BIGINT;
ALTER TABLE model_costs ADD COLUMN per_mchar_nanos BIGINT;
ALTER TABLE model_costs ADD COLUMN per_search_unit_nanos BIGINT;
ALTER TABLE model_costs ADD COLUMN per_image_variant_nanos TEXT;
