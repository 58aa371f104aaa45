"""Memory in binary units, as the CLI shows it: Kubernetes' 24683548Ki reads 23.5 GiB in the SDK's
summaries and notebook cards. Pure functions and models from JSON: no gateway needed."""

from __future__ import annotations

import unittest

from gantry import _display
from gantry.models import Cluster, Demand, JobInfo, Resources
from gantry.units import format_bytes, format_memory, parse_bytes


class FormatBytesTests(unittest.TestCase):
    def test_a_node_of_24683548Ki_reads_23_5_GiB(self) -> None:
        self.assertEqual(format_bytes(24683548 * 1024), "23.5 GiB")

    def test_each_binary_unit_with_one_decimal_below_100(self) -> None:
        cases = {0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 128 * 2**20: "128 MiB",
                 2**30: "1.0 GiB", 3 * 2**40: "3.0 TiB", 99.96 * 2**30: "100.0 GiB", 512 * 2**50: "512 PiB"}
        for count, text in cases.items():
            with self.subTest(count=count):
                self.assertEqual(format_bytes(count), text)


class ParseBytesTests(unittest.TestCase):
    def test_kubernetes_quantities_binary_and_decimal(self) -> None:
        cases = {"24683548Ki": 25275953152, "1.5Gi": 1610612736, "128Mi": 134217728, "1Ti": 2**40,
                 "2G": 2_000_000_000, "500M": 500_000_000, "1k": 1000, "1e9": 1_000_000_000, "4096": 4096}
        for quantity, count in cases.items():
            with self.subTest(quantity=quantity):
                self.assertEqual(parse_bytes(quantity), count)

    def test_spark_sizes_are_binary(self) -> None:
        self.assertEqual(parse_bytes("512m"), 512 * 2**20)
        self.assertEqual(parse_bytes("4g"), 4 * 2**30)
        self.assertEqual(parse_bytes("2048K"), 2 * 2**20)

    def test_plain_numbers_are_bytes(self) -> None:
        self.assertEqual(parse_bytes(25275953152), 25275953152)

    def test_what_is_not_a_quantity_is_none(self) -> None:
        for text in ["", "lots", "12 parsecs", "Gi", None, True]:
            with self.subTest(text=text):
                self.assertIsNone(parse_bytes(text))  # type: ignore[arg-type]


class FormatMemoryTests(unittest.TestCase):
    def test_the_gateways_byte_count_wins(self) -> None:
        self.assertEqual(format_memory("24683548Ki", 25275953152), "23.5 GiB")

    def test_without_a_byte_count_the_quantity_is_read(self) -> None:
        self.assertEqual(format_memory("24683548Ki"), "23.5 GiB")

    def test_what_cannot_be_read_is_shown_as_it_came(self) -> None:
        self.assertEqual(format_memory("lots"), "lots")


class ModelTests(unittest.TestCase):
    NODE = {"cpu": "32", "memory": "24683548Ki", "gpu": 0, "cpuMillicores": 32000, "memoryBytes": 25275953152}

    def test_resources_show_memory_in_gib(self) -> None:
        resources = Resources.from_json(self.NODE)
        self.assertEqual(resources.memory, "24683548Ki", "the raw quantity stays available")
        self.assertEqual(resources.memory_text, "23.5 GiB")
        self.assertEqual(str(resources), "32 CPU, 23.5 GiB")

    def test_a_demand_shows_memory_in_gib_and_its_gpus(self) -> None:
        demand = Demand.from_json({"cpu": "2", "memory": "3Gi", "gpu": 1, "memoryBytes": 3 * 2**30, "pods": []})
        self.assertEqual(str(demand), "2 CPU, 3.0 GiB, 1 GPU")

    def test_a_cluster_shows_free_and_capacity_in_gib(self) -> None:
        cluster = Cluster.from_json({"name": "east", "type": "kubernetes", "healthy": True, "capacity": self.NODE,
                                     "free": {"cpu": "30", "memory": "12341774Ki", "memoryBytes": 12341774 * 1024}})
        self.assertEqual(str(cluster), "east (kubernetes, healthy): free 30 CPU, 11.8 GiB of 32 CPU, 23.5 GiB")
        self.assertIn("23.5 GiB", cluster._repr_html_())
        self.assertNotIn("Ki", cluster._repr_html_())

    def test_the_notebook_card_of_a_job_shows_its_demand_in_gib(self) -> None:
        info = JobInfo.from_json({"id": "j1", "name": "train", "kind": "Command", "queue": "default", "owner": "ada",
                                  "state": "Queued", "demand": {"cpu": "4", "memory": "24683548Ki", "memoryBytes": 25275953152}})
        card = _display.html_card(info)
        self.assertIn("4 CPU, 23.5 GiB", card)
        self.assertNotIn("24683548Ki", card)


if __name__ == "__main__":
    unittest.main()
