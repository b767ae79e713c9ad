SELECT id AS message_id FROM fastqueue.lease('bench-consume', 1) \gset
SELECT fastqueue.ack(:message_id);
