-- Verify fastqueue:function_list_queues on pg

BEGIN;

SELECT 'fastqueue.list_queues(integer, integer)'::regprocedure;

ROLLBACK;
