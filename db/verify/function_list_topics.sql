-- Verify fastqueue:function_list_topics on pg

BEGIN;

SELECT 'fastqueue.list_topics(integer, integer)'::regprocedure;

ROLLBACK;
