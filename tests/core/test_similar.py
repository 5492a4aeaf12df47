"""The ranking of similar problems: terms, BM25 and the pre-filter by shared terms."""

from zhenggai.core import similar, topics


def test_words_drop_the_boilerplate_and_add_concepts() -> None:
    terms = similar.words("公务用车管理制度执行不严，存在问题")
    assert "存在" not in terms and "问题" not in terms
    assert "公务用车" in terms
    assert terms.count("«car»") == similar.CONCEPT_WEIGHT


def test_bigrams_cut_within_runs_of_text() -> None:
    assert similar.bigrams("工会经费，乱", frozenset(), 0) == ["工会", "会经", "经费"]


def test_it_ranks_the_same_failing_first() -> None:
    index: similar.Index[str] = similar.Index()
    index.add("car", "公车私用，用车台账不全")
    index.add("union", "工会经费使用不规范")
    index.add("study", "理论学习中心组学习不规范")
    hits = index.rank("公务用车管理制度执行不严", 3)
    assert hits[0].key == "car"


def test_it_scores_only_documents_sharing_a_term() -> None:
    index: similar.Index[int] = similar.Index()
    index.add(1, "工会经费使用不规范")
    index.add(2, "意识形态阵地管理不严")
    assert [h.key for h in index.rank("工会会费管理混乱", 5)] == [1]


def test_it_keeps_only_what_the_filter_accepts() -> None:
    index: similar.Index[int] = similar.Index()
    for key in range(4):
        index.add(key, "工会经费使用不规范")
    hits = index.rank("工会经费", 2, lambda key: key % 2 == 1)
    assert [h.key for h in hits] == [1, 3]


def test_feedback_reaches_a_document_through_the_first_hit() -> None:
    """Sharing no term with the query, «two» shares the first hit's: the expanded
    query finds it after that hit; without feedback it is not found."""
    index: similar.Index[str] = similar.Index(str.split)
    index.add("one", "car ledger rule misuse")
    index.add("two", "rule misuse weekend")
    index.add("other", "study group minutes")
    assert [h.key for h in index.rank("car ledger", 5, feedback=False)] == ["one"]
    assert [h.key for h in index.rank("car ledger", 5)] == ["one", "two"]


def test_an_empty_index_finds_nothing() -> None:
    assert similar.Index[int]().rank("工会经费") == []


def test_a_topic_is_suggested_by_its_keywords() -> None:
    assert topics.suggest("公务接待无公函，陪餐人数超标") == "廉洁纪律"
    assert topics.suggest("意识形态阵地管理不严") == "意识形态"
    assert topics.suggest("天气很好") is None
