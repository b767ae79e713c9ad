-- Verify fastqueue:table_queue_waiter on pg

BEGIN;

SELECT queue_id, listener_pid, armed, armed_at FROM fastqueue.queue_waiter WHERE false;

ROLLBACK;
