SELECT array_agg(id) AS message_ids FROM fastqueue.lease('bench-consume', 10) \gset
SELECT count(fastqueue.ack(m)) FROM unnest(:message_ids::uuid[]) AS m;
