"""Read one opinion: prepare its text once, find its references, classify them.

Every caller that turns an opinion into labelled references goes through `read_opinion`: the
refresh (citator/pipeline.py), `citator bulk`, `citator cite` and both evaluators. Before, each
assembled the steps its own way, and the differences were real: bulk lost the same-litigation rule,
the full-graph mode stripped tags its own way, and eval classified raw markup that refresh never
classifies. One function makes what is measured what users get.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping, Sequence

from citator.citations.extract import find_references
from citator.citations.lexicon import Lexicon
from citator.citations.models import Authority, Reference
from citator.citations.text import PreparedText, detect_format, prepare_text
from citator.citations.treatment import classify_all

__all__ = ["read_opinion"]


def read_opinion(
    text: str,
    authorities: Sequence[Authority],
    *,
    fmt: str = "text",
    citing_court: str | None = None,
    citing_family: str | None = None,
    self_key: str | None = None,
    opinion_part: str = "majority",
    opinion_parts: Sequence[tuple[int, str]] | None = None,
    all_cases: bool = False,
    case_graph: bool = False,
    cited_texts: Mapping[str, str] | None = None,
    tokenizer: str = "auto",
    references: Sequence[Reference] | None = None,
    classify: bool = True,
    lexicon: Lexicon | None = None,
    model: Any = None,
    classifier: Callable[..., list[Reference]] | None = None,
) -> list[Reference]:
    """The references of one opinion to `authorities`, each with its treatment, in text order.

    `text` is the opinion as stored and `fmt` its format ("text", "html", "xml" or "auto"); every
    offset returned points into `text`. What the classifier needs to know about the citing case:
    `citing_court` (a court id such as "ca1", so binding authority is told from persuasive) and
    `citing_family` (the litigation the citing case belongs to, when it is itself one of the
    authorities' litigation: the same-litigation rules). `self_key` is the key of the citing case
    among `authorities`, whose references are the opinion citing itself and are dropped.

    Finding: `opinion_part` / `opinion_parts`, `all_cases`, `cited_texts` and `tokenizer` as in
    `citations.extract.find_references`. `references` skips finding and classifies the given
    references instead (scoring the classifier on labelled spans). `case_graph` adds, unclassified
    and without an authority, every other full case citation (`citator bulk --all`).
    `classify=False` returns the references as found (scoring the extractor alone).
    `model` is a loaded treatment model (default: the shipped one); `classifier` replaces the
    trained classifier with another of the same signature (the evaluator's rule baseline,
    `citations.treatment.classify_all_rules`), read along the same path.
    """
    prepared: PreparedText | None = None
    if references is None:
        prepared = prepare_text(text, fmt)
        refs = find_references(
            text, authorities, fmt=fmt, opinion_part=opinion_part, opinion_parts=opinion_parts,
            all_cases=all_cases, cited_texts=cited_texts, tokenizer=tokenizer, prepared=prepared,
        )
    else:
        refs = list(references)
    if self_key is not None:
        refs = [r for r in refs if r.authority_key != self_key]
    if classify and refs:
        context: dict[str, Any] = {"citing_family": citing_family, "citing_court": citing_court, "lexicon": lexicon}
        if classifier is None:
            classifier = classify_all
            context["model"] = model
        refs = _classify(refs, text, fmt, prepared, authorities, classifier, **context)
    if case_graph:
        from citator.citations.graph import find_case_citations

        if prepared is None:
            prepared = prepare_text(text, fmt)
        taken = [(r.start, r.end) for r in refs]
        for ref in find_case_citations(text, opinion_part=opinion_part, prepared=prepared):
            if not any(ref.start < end and start < ref.end for start, end in taken):
                refs.append(ref)
        refs.sort(key=lambda r: r.start)
    return refs


def _classify(
    refs: list[Reference],
    text: str,
    fmt: str,
    prepared: PreparedText | None,
    authorities: Sequence[Authority],
    classifier: Callable[..., list[Reference]],
    **context: object,
) -> list[Reference]:
    """Label each reference, reading HTML/XML opinions as the text a reader sees.

    Reference offsets point into the stored text (markup included); the classifier reads words, so
    for markup it works on the prepared text and the labels are copied back onto the references.
    Plain text is classified as stored.
    """
    markup = (detect_format(text) if fmt == "auto" else fmt) in ("html", "xml")
    if not markup:
        return classifier(refs, text, list(authorities), **context)  # type: ignore[arg-type]
    if prepared is None:
        prepared = prepare_text(text, fmt)
    shifted = []
    for ref in refs:
        start = prepared.working_pos(ref.start)
        end = max(start, prepared.working_pos(ref.end))
        shifted.append(replace(ref, start=start, end=end, as_written=prepared.text[start:end]))
    labelled = classifier(shifted, prepared.text, list(authorities), **context)  # type: ignore[arg-type]
    return [
        replace(ref, treatment=lab.treatment, confidence=lab.confidence, evidence=lab.evidence,
                sentence=ref.sentence or lab.sentence, paragraph=ref.paragraph or lab.paragraph,
                extra={**ref.extra, **lab.extra})
        for ref, lab in zip(refs, labelled)
    ]
