import hashlib
import uuid

from core.records import record_id


def test_record_id_is_the_uuid4_of_its_digest():
    for run_seed, index in [(0, 0), (3, 41), (7, 2999), (123456789, 10**6)]:
        digest = hashlib.sha256(f"record:{run_seed}:{index}".encode()).digest()
        assert record_id(run_seed, index) == str(uuid.UUID(bytes=digest[:16], version=4))


def test_record_id_reads_back_as_a_version_4_uuid():
    for index in range(200):
        parsed = uuid.UUID(record_id(5, index))
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
