#!/usr/bin/env python3
"""Generate a synthetic fleet for timing `capacity-plan fleet` (docs/performance.md, "Fleet").

    python3 benches/fleet-generate.py OUT_DIR TABLES [--days 14]

writes, for TABLES tables named t00000, t00001, ...:

- OUT_DIR/tables/<name>.json: `aws dynamodb describe-table` output (TableArn in account
  123456789012, us-east-1; BillingModeSummary; ProvisionedThroughput; ItemCount;
  TableSizeBytes) with 1, 2 or 3 GSIs (cycling by table), each with IndexName, KeySchema,
  Projection and ProvisionedThroughput;
- OUT_DIR/tables/<name>-scaling.json for autoscaled tables: `aws application-autoscaling
  describe-scalable-targets` and describe-scaling-policies output in one file (minimum,
  maximum and a 70% target for the table's and every GSI's reads and writes);
- OUT_DIR/metrics/<name>.csv: DAYS days of 1-minute ConsumedReadCapacityUnits /
  ConsumedWriteCapacityUnits Sums for the table (empty GlobalSecondaryIndexName) and each GSI:
  a daily sine with a weekend dip and Gaussian noise, from a fixed seed.

Billing cycles over on-demand, fixed provisioned (no autoscaling) and autoscaled provisioned.
Two traffic shapes in eight are given provisioned capacity (or an autoscaling maximum) below
their peak, so about a quarter of the provisioned tables throttle.

To keep generation fast and the disk small, only 24 distinct traffic files are generated, one
per (GSI count, shape) pair, and every table's CSV is a hard link (os.link) to one of them.
Each table still reads and replays its own file, so the CPU work per table is the same as for
a fleet of distinct files; only the page cache is shared. Output is byte-identical from run
to run.
"""

import argparse
import json
import math
import os
import random
import sys

ACCOUNT = "123456789012"
REGION = "us-east-1"
SHAPES = 8
THROTTLING_SHAPES = {6, 7}
GSI_NAMES = ["by_status", "by_customer", "by_date"]
GSI_KEYS = ["status", "customer_id", "created_at"]
START = 1793491200  # 2026-11-01T00:00:00Z


def timestamps(minutes):
    import time

    out = []
    for i in range(minutes):
        t = time.gmtime(START + 60 * i)
        out.append(
            "%04d-%02d-%02dT%02d:%02d:00Z" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min)
        )
    return out


def series(rng, minutes, base, amplitude, noise, phase):
    """Per-minute Sums (units a minute) of a daily sine around `base` units a second."""
    out = []
    for i in range(minutes):
        day = i // 1440
        weekend = 0.7 if day % 7 in (5, 6) else 1.0
        shape = 1.0 + amplitude * math.sin(2 * math.pi * ((i % 1440) - phase) / 1440)
        rate = base * weekend * shape * (1.0 + noise * rng.gauss(0.0, 1.0))
        out.append(max(0, int(round(rate * 60))))
    return out


def traffic(path, gsis, shape, minutes):
    """Write one traffic file; return the peak units a second of each lane (reads, writes)."""
    rng = random.Random(1000 * gsis + shape)
    base_read = 20.0 * (3 ** (shape % 4))  # 20, 60, 180, 540 units a second
    base_write = base_read / 4
    amplitude = 0.3 + 0.1 * (shape % 5)
    noise = 0.05 + 0.03 * (shape % 3)
    phase = 60 * (shape * 3 % 24)
    lanes = [("", 1.0, 1.0)] + [(GSI_NAMES[g], 0.2 + 0.1 * g, 0.5 + 0.2 * g) for g in range(gsis)]
    stamps = timestamps(minutes)
    peaks = {}
    with open(path, "w", newline="") as f:
        f.write(
            "Timestamp,GlobalSecondaryIndexName,"
            "ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n"
        )
        for name, read_share, write_share in lanes:
            reads = series(rng, minutes, base_read * read_share, amplitude, noise, phase)
            writes = series(rng, minutes, base_write * write_share, amplitude, noise, phase)
            peaks[name] = (max(reads) / 60.0, max(writes) / 60.0)
            f.write("".join("%s,%s,%d,%d\n" % row for row in zip(stamps, [name] * minutes, reads, writes)))
    return peaks


def throughput(read, write):
    return {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": read, "WriteCapacityUnits": write}


def describe(name, index, gsis, billing, peaks, shape):
    """describe-table JSON; provisioned capacity from the traffic's peaks."""
    factor = 0.6 if shape in THROTTLING_SHAPES else 1.5

    def capacity(lane):
        if billing == "PAY_PER_REQUEST":
            return throughput(0, 0)
        read, write = peaks[lane]
        return throughput(max(1, int(read * factor)), max(1, int(write * factor)))

    items = 100000 * (1 + index % 50)
    size = items * (200 + 100 * (index % 9))
    arn = "arn:aws:dynamodb:%s:%s:table/%s" % (REGION, ACCOUNT, name)
    attributes = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]
    indexes = []
    for g in range(gsis):
        attributes.append({"AttributeName": GSI_KEYS[g], "AttributeType": "S"})
        indexes.append(
            {
                "IndexName": GSI_NAMES[g],
                "KeySchema": [
                    {"AttributeName": GSI_KEYS[g], "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "Projection": [
                    {"ProjectionType": "KEYS_ONLY"},
                    {"ProjectionType": "ALL"},
                    {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
                ][g],
                "IndexStatus": "ACTIVE",
                "ProvisionedThroughput": capacity(GSI_NAMES[g]),
                "IndexSizeBytes": size // (4 - g),
                "ItemCount": items,
                "IndexArn": "%s/index/%s" % (arn, GSI_NAMES[g]),
            }
        )
    return {
        "Table": {
            "AttributeDefinitions": attributes,
            "TableName": name,
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "TableStatus": "ACTIVE",
            "TableSizeBytes": size,
            "ItemCount": items,
            "TableArn": arn,
            "ProvisionedThroughput": capacity(""),
            "BillingModeSummary": {"BillingMode": billing},
            "GlobalSecondaryIndexes": indexes,
        }
    }


def scaling(name, gsis, peaks, shape):
    """Scalable targets and target-tracking policies (70%) for the table and its GSIs."""
    ceiling = 0.5 if shape in THROTTLING_SHAPES else 3.0
    targets, policies = [], []
    lanes = [("", "table/%s" % name, "table")]
    lanes += [(GSI_NAMES[g], "table/%s/index/%s" % (name, GSI_NAMES[g]), "index") for g in range(gsis)]
    for lane, resource, kind in lanes:
        for unit, peak in zip(("Read", "Write"), peaks[lane]):
            dimension = "dynamodb:%s:%sCapacityUnits" % (kind, unit)
            common = {"ServiceNamespace": "dynamodb", "ResourceId": resource, "ScalableDimension": dimension}
            targets.append(dict(common, MinCapacity=max(1, int(peak / 4)), MaxCapacity=max(2, int(peak * ceiling))))
            policies.append(
                dict(
                    common,
                    PolicyName="%s-%s" % (resource.replace("/", "-"), unit.lower()),
                    PolicyType="TargetTrackingScaling",
                    TargetTrackingScalingPolicyConfiguration={
                        "TargetValue": 70.0,
                        "PredefinedMetricSpecification": {
                            "PredefinedMetricType": "DynamoDB%sCapacityUtilization" % unit
                        },
                    },
                )
            )
    return {"ScalableTargets": targets, "ScalingPolicies": policies}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("tables", type=int)
    p.add_argument("--days", type=int, default=14)
    a = p.parse_args()
    minutes = a.days * 1440
    tables_dir = os.path.join(a.out_dir, "tables")
    metrics_dir = os.path.join(a.out_dir, "metrics")
    shared_dir = os.path.join(a.out_dir, "traffic")
    for d in (tables_dir, metrics_dir, shared_dir):
        os.makedirs(d, exist_ok=True)
    peaks = {}
    for i in range(a.tables):
        gsis = 1 + i % 3
        shape = (i // 3) % SHAPES
        billing = ["PAY_PER_REQUEST", "PROVISIONED", "PROVISIONED"][(i // (3 * SHAPES)) % 3]
        autoscaled = (i // (3 * SHAPES)) % 3 == 2
        source = os.path.join(shared_dir, "gsi%d-shape%d.csv" % (gsis, shape))
        if (gsis, shape) not in peaks:
            peaks[(gsis, shape)] = traffic(source, gsis, shape, minutes)
        lane_peaks = peaks[(gsis, shape)]
        name = "t%05d" % i
        with open(os.path.join(tables_dir, name + ".json"), "w") as f:
            json.dump(describe(name, i, gsis, billing, lane_peaks, shape), f, indent=2)
        if autoscaled:
            with open(os.path.join(tables_dir, name + "-scaling.json"), "w") as f:
                json.dump(scaling(name, gsis, lane_peaks, shape), f, indent=2)
        target = os.path.join(metrics_dir, name + ".csv")
        if os.path.exists(target):
            os.remove(target)
        os.link(source, target)
    print("%d tables, %d traffic files of %d days in %s" % (a.tables, len(peaks), a.days, a.out_dir), file=sys.stderr)


if __name__ == "__main__":
    main()
