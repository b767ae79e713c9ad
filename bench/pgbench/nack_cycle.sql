SELECT id AS message_id FROM fastqueue.lease('bench-consume', 1) \gset
SELECT fastqueue.nack(:message_id);
