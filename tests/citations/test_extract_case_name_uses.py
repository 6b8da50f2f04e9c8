"""How courts use a cited case's name in prose: a firm's first partner, a doctrine named for the
case, the other party's name, and the people who share a name with the case (issue 14).

Every passage here is invented for the test (it imitates how opinions are written); the reporter
cites are real ones.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.models import Authority
from citator.citations.names import derive_short_names

DOENCH = Authority(key="doench", name="D'Oench, Duhme & Co. v. FDIC", citations=("315 U.S. 447",))
HASKELL = Authority(key="haskell", name="Exchange Mutual Insurance Co. v. Haskell Co.", citations=("742 F.2d 274",))
FALMOUTH = Authority(key="falmouth", name="Falmouth National Bank v. Ticor Title Insurance Co.", citations=("920 F.2d 1058",))
ABREU = Authority(key="abreu", name="United States v. Abreu", citations=("952 F.2d 1458",))
DONNELLY = Authority(key="donnelly", name="Donnelly v. DeChristoforo", citations=("416 U.S. 637",))


def names(refs):
    return [r.as_written for r in refs if r.kind == "name_only"]


def test_a_firm_named_for_its_partners_goes_by_its_first_partners_name():
    assert derive_short_names("D'Oench, Duhme & Co. v. FDIC")[0] == "D'Oench"
    assert derive_short_names("Sears, Roebuck & Co. v. Stiffel Co.")[:2] == ("Sears", "Sears, Roebuck")
    # no partners listed: the name stays whole
    assert derive_short_names("Johnson & Johnson v. Smith")[0] == "Johnson & Johnson"


def test_the_doctrine_named_for_a_partner_firm_case_is_a_reference_to_it():
    # imitates a 1993 opinion applying the doctrine of D'Oench, Duhme & Co. v. FDIC
    text = (
        "The FDIC relies on D'Oench, Duhme & Co. v. FDIC, 315 U.S. 447 (1942). "
        "Congress embraced the D'Oench doctrine in 12 U.S.C. 1823(e). "
        "Appellants could have done nothing more to satisfy either the D'Oench or the statutory requirements."
    )
    assert names(find_references(text, [DOENCH])) == ["D'Oench", "D'Oench"]


def test_a_partner_firms_short_cite_keeps_every_partner_in_its_name():
    # imitates a short cite by the firm's whole name, with no "v."
    text = (
        "See D'Oench, Duhme & Co. v. FDIC, 315 U.S. 447 (1942). "
        "Under D'Oench, Duhme & Co., 315 U.S. at 460, a party may not rely on a secret agreement."
    )
    refs = find_references(text, [DOENCH])
    assert [r.kind for r in refs] == ["full", "short"]
    assert refs[1].as_written == "D'Oench, Duhme & Co., 315 U.S. at 460"


def test_a_sentence_adverb_before_a_partner_firm_stays_out_of_its_name():
    # imitates a sentence opening with "Later," before a short cite of a firm named "X & Co."
    text = "See D'Oench, Duhme & Co. v. FDIC, 315 U.S. 447 (1942). Later, Duhme & Co., 315 U.S. at 460, said so."
    refs = find_references(text, [DOENCH])
    assert refs[1].as_written.startswith("Duhme & Co., 315 U.S. at 460")


def test_the_other_partys_name_counts_once_the_opinion_uses_it_for_the_decision():
    # imitates an opinion that cites Exchange Mutual v. Haskell and then calls it "Haskell"
    text = (
        "We find guidance in Exchange Mut. Ins. Co. v. Haskell Co., 742 F.2d 274, 275-76 (11th Cir. 1984). "
        "Rather, the bond in Haskell incorporated the subcontract by reference. "
        "In light of Haskell, a case on all fours with this one, we find the argument unpersuasive."
    )
    assert names(find_references(text, [HASKELL])) == ["Haskell", "Haskell"]


def test_without_a_use_as_a_decision_the_other_party_is_not_looked_for():
    # imitates the same citation where "Haskell" is only the contractor
    text = (
        "We find guidance in Exchange Mut. Ins. Co. v. Haskell Co., 742 F.2d 274, 275-76 (11th Cir. 1984). "
        "Rather, the bond in Haskell incorporated the subcontract by reference."
    )
    assert names(find_references(text, [HASKELL])) == []


def test_what_a_decision_was_intended_to_do_names_the_decision():
    # imitates a court limiting its own precedent at a sentence's start
    text = (
        "The claims were premature under Falmouth Nat'l Bank v. Ticor Title Ins. Co., 920 F.2d 1058 (1st Cir. 1990). "
        "Subrogation is mandatory. Falmouth, 920 F.2d at 1063. "
        "Falmouth was not intended to afford an insured a second opportunity."
    )
    assert names(find_references(text, [FALMOUTH])) == ["Falmouth"]


def test_a_name_after_a_note_number_glued_to_a_full_stop_opens_a_sentence():
    # imitates a typed release: the note call "9" is glued to the sentence's full stop
    text = (
        "The claims were premature under Falmouth Nat'l Bank v. Ticor Title Ins. Co., 920 F.2d 1058 (1st Cir. 1990). "
        "Subrogation is mandatory. Falmouth, 920 F.2d at 1063. "
        "The claims would not affect the recovery from American Title.9 Falmouth does not require an insured to sue."
    )
    assert names(find_references(text, [FALMOUTH])) == ["Falmouth"]


def test_a_litigants_appeal_and_silence_are_the_litigants_not_the_decisions():
    # imitates a 2255 appeal by the defendant of a cited earlier appeal, United States v. Abreu
    text = (
        "This court affirmed. United States v. Abreu, 952 F.2d 1458 (1st Cir. 1992). "
        "Both arguments were squarely rejected by this court in Abreu's direct appeal from his conviction. "
        "Other allegations were raised briefly in Abreu's 2255 motion. "
        "In light of that discussion, Abreu has said nothing to suggest that counsel erred. "
        "Although we did make clear in Abreu that an objection was needed, we affirmed."
    )
    assert names(find_references(text, [ABREU])) == ["Abreu"]  # only "in Abreu that"


def test_a_precedents_party_deprived_of_a_right_or_wanting_something_is_a_person():
    # imitates an opinion retelling the facts of Donnelly v. DeChristoforo
    text = (
        "The standard is that of Donnelly v. DeChristoforo, 416 U.S. 637, 643 (1974). "
        "In Donnelly, the prosecutor commented on the defense. "
        "The Court concluded that this comment did not deprive Donnelly of the right to a fair trial "
        "because it was unclear that the jury would have concluded that Donnelly must have wanted to plead guilty."
    )
    assert names(find_references(text, [DONNELLY])) == ["Donnelly"]  # only "In Donnelly,"
