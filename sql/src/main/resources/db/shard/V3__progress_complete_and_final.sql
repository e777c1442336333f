-- pipeline_progress keeps two instants per subtask. A minute is complete once the job's watermark has
-- passed its end (readers derive that from the watermark column): every record that was not late has
-- been counted. It is final once the watermark is also the allowed lateness past its end, because
-- after that no record can change it any more (later ones only count as late_dropped). The column
-- that held the final instant was named complete_through; it is now final_through.

ALTER TABLE pipeline_progress CHANGE COLUMN complete_through final_through DATETIME NOT NULL;
