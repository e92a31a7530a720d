-- The Merkle tree's stored nodes begin at level 4 (R-AUDIT-3; issue 31; docs/audit.md "Tree and level
-- store").
--
-- Since issue 31 the sealer stores only nodes of level 4 and up (repo.ts STORED_NODE_LEVEL): level 0 is
-- audit_seals.leaf_hash, and a node of levels 1-3 is hashed on read from its 2-8 leaves. Rows of levels
-- 1-3 written by earlier versions were kept but are read by nothing. They are deleted here, and the
-- level's check says what is stored, so that none is written again. The owner runs this (ward_app may
-- write nothing in this table, 0007); a node never changes, so nothing else refers to these rows.

DELETE FROM audit_tree_nodes WHERE level < 4;

ALTER TABLE audit_tree_nodes DROP CONSTRAINT audit_tree_nodes_level_check;
ALTER TABLE audit_tree_nodes ADD CONSTRAINT audit_tree_nodes_level_check CHECK (level BETWEEN 4 AND 63);
