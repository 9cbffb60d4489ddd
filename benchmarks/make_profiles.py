"""Generate N realistic researcher profiles of about three pages each (for batch benchmarks).

Usage: ``python benchmarks/make_profiles.py OUTDIR [-n 50] [--seed 1]``. The same seed gives the
same profiles, so benchmark runs are comparable.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

GIVEN = ["Alice", "Bo", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jun",
         "Karin", "Luis", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Runxin", "Sofia", "Tomas",
         "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe"]
FAMILY = ["Anders", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Huang", "Ito",
          "Jensen", "Kowalski", "Li", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi",
          "Schmidt", "Tanaka", "Ueda", "Varga", "Wang", "Xu", "Yilmaz", "Zhang"]
TOPICS = ["language models", "information extraction", "machine translation", "reinforcement learning",
          "graph neural networks", "speech recognition", "question answering", "model compression",
          "multilingual transfer", "code generation", "summarization", "dialogue systems",
          "retrieval augmentation", "robust optimization", "causal inference"]
METHODS = ["Contrastive", "Sparse", "Hierarchical", "Efficient", "Robust", "Adaptive", "Prompt-based",
           "Self-supervised", "Multi-task", "Curriculum", "Latent", "Structured"]
NOUNS = ["Pruning", "Pre-training", "Decoding", "Alignment", "Distillation", "Tuning", "Parsing",
         "Retrieval", "Planning", "Reasoning", "Calibration", "Augmentation"]
VENUES = [("ACL", "Proceedings of the Annual Meeting of the Association for Computational Linguistics"),
          ("EMNLP", "Proceedings of the Conference on Empirical Methods in Natural Language Processing"),
          ("NAACL", "Proceedings of the North American Chapter of the ACL"),
          ("NeurIPS", "Advances in Neural Information Processing Systems"),
          ("ICML", "International Conference on Machine Learning"),
          ("ICLR", "International Conference on Learning Representations"),
          ("AAAI", "Proceedings of the AAAI Conference on Artificial Intelligence"),
          ("TACL", "Transactions of the Association for Computational Linguistics")]
UNIVERSITIES = ["Peking University", "University of Edinburgh", "ETH Zurich", "University of Toronto",
                "Tsinghua University", "Carnegie Mellon University", "University of Tokyo",
                "Sorbonne University", "University of Washington", "KAIST"]
COMPANIES = ["DeepMind", "Microsoft Research", "Alibaba DAMO Academy", "Meta AI", "Allen Institute for AI",
             "Google Research", "Naver Labs", "Huawei Noah's Ark Lab"]


def _title(rng: random.Random) -> str:
    topic = rng.choice(TOPICS)
    return f"{rng.choice(METHODS)} {rng.choice(NOUNS)} for {topic.title() if rng.random() < .5 else topic}"


def _person(rng: random.Random, avoid: str = "") -> str:
    while True:
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if not avoid or name.split()[-1] != avoid.split()[-1]:
            return name


def make_profile(index: int, rng: random.Random) -> dict[str, object]:
    """One profile: education, positions, ~20 publications, awards, service, talks, teaching, skills."""
    given = GIVEN[index % len(GIVEN)]
    family = FAMILY[(index * 7 + index // len(GIVEN)) % len(FAMILY)]  # unique up to 676 profiles
    name = f"{given} {family}"
    start = rng.randint(2008, 2016)
    publications = []
    for n in range(rng.randint(15, 17)):
        year = rng.randint(start + 1, 2025)
        authors = [_person(rng, name) for _ in range(rng.randint(1, 5))]
        authors.insert(rng.randint(0, len(authors)), name + ("*" if n % 5 == 0 else ""))
        if n % 5 == 0:
            authors[0 if authors[0] != name + "*" else 1] += "*"
        short, long = rng.choice(VENUES)
        pub: dict[str, object] = {"title": _title(rng), "authors": authors, "venue": long, "venue_short": short,
                                  "year": year}
        if n % 4 == 0:
            pub["links"] = {"PDF": f"https://arxiv.org/abs/{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}",
                            "code": f"https://github.com/example/{short.lower()}-{n}"}
        if n % 7 == 0:
            pub["note"] = rng.choice(["Oral", "Spotlight", "Best Paper Award"])
        publications.append(pub)
    publications.sort(key=lambda p: -int(p["year"]))  # type: ignore[call-overload]
    return {
        "name": name,
        "headline": f"Research scientist working on **{rng.choice(TOPICS)}** and {rng.choice(TOPICS)}",
        "email": f"{given.lower()}.{family.lower()}{index}@example.org",
        "website": f"https://example.org/~{given.lower()}{index}",
        "location": rng.choice(["Beijing, China", "Edinburgh, UK", "Zurich, Switzerland", "Seattle, USA"]),
        "links": {"github": f"{given.lower()}{family.lower()}{index}", "orcid": "0000-0002-1825-0097"},
        "interests": rng.sample(TOPICS, 4),
        "about": (f"I study {rng.choice(TOPICS)} with a focus on methods that are simple, efficient and "
                  f"well understood. My recent work connects {rng.choice(TOPICS)} with {rng.choice(TOPICS)}."),
        "education": [
            {"institution": rng.choice(UNIVERSITIES), "degree": "Ph.D.", "field": "Computer Science",
             "date": f"Sep {start + 4} - Jun {start + 9}", "location": "Campus",
             "advisors": [_person(rng)], "thesis": {"title": _title(rng)}},
            {"institution": rng.choice(UNIVERSITIES), "degree": "B.S.", "field": "Mathematics",
             "date": f"Sep {start} - Jun {start + 4}", "gpa": "3.9/4.0"},
        ],
        "experience": [
            {"organization": rng.choice(COMPANIES), "role": "Research Scientist",
             "date": f"{start + 9} - present", "location": "Remote",
             "highlights": [f"Led work on {rng.choice(TOPICS)}; shipped to production.",
                            f"Mentored {rng.randint(2, 6)} interns on {rng.choice(TOPICS)}."]},
            {"organization": rng.choice(COMPANIES), "role": "Research Intern",
             "date": f"Jun {start + 6} - Sep {start + 6}",
             "collaborators": [_person(rng), _person(rng)],
             "highlights": [f"Built a {rng.choice(METHODS).lower()} system for {rng.choice(TOPICS)}."]},
            {"organization": rng.choice(UNIVERSITIES), "role": "Research Assistant",
             "date": f"{start + 2} - {start + 4}",
             "highlights": [f"Studied {rng.choice(TOPICS)} under limited supervision data."]},
        ],
        "publications": {"items": publications, "group_by": "year"},
        "awards": [{"title": rng.choice(["National Scholarship", "Outstanding Reviewer", "Best Paper Award",
                                         "Merit Student", "Travel Grant"]) + f" {k}",
                    "years": sorted(rng.sample(range(start, 2025), rng.randint(1, 3)))} for k in range(6)],
        "service": [{"role": role, "venue": short, "years": sorted(rng.sample(range(2018, 2026), 3))}
                    for role in ("Reviewer", "Area Chair") for short, _ in rng.sample(VENUES, 3)],
        "talks": [{"title": _title(rng), "event": f"{rng.choice(UNIVERSITIES)} seminar",
                   "date": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}"} for _ in range(5)],
        "teaching": [{"course": f"{rng.choice(TOPICS).title()} ({k})", "role": "Teaching Assistant",
                      "institution": rng.choice(UNIVERSITIES), "date": f"Fall {start + 5 + k}"}
                     for k in range(3)],
        "skills": [{"category": "Programming", "items": ["Python", "C++", "CUDA", "Rust"]},
                   {"category": "Frameworks", "items": ["PyTorch", "JAX", "Hugging Face"]}],
        "languages": [{"language": "English", "level": "fluent"}, {"language": "Chinese", "level": "native"}],
    }


def write_profiles(outdir: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` profiles to ``outdir`` (``profile_000.yaml`` ...); return their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        path = outdir / f"profile_{index:03d}.yaml"
        path.write_text(yaml.safe_dump(make_profile(index, rng), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("-n", type=int, default=50, help="number of profiles (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = write_profiles(args.outdir, args.n, args.seed)
    print(f"wrote {len(paths)} profiles to {args.outdir}")


if __name__ == "__main__":
    main()
