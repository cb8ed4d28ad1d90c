"""Partition definitions (monthly partitions arrive with the partitioned dbt models)."""
