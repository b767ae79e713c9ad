SELECT jsonb_agg(jsonb_build_object('id', id, 'receipt', receipt)) AS batch FROM fastqueue.lease('bench-consume', 10) \gset
SELECT fastqueue.ack_batch(:batch::jsonb);
