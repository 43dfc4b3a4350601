"""Author lists render as written (issue 17): ["J. Zhang", "et al."] is "J. Zhang et al.", in the
full citation and in the short form, not "J. Zhang, et al." / "Zhang, al."."""
import textwrap

from boundcheck.claims import load_file
from boundcheck.claims.model import Citation
from test_verify import T01


def test_et_al_in_an_author_list_renders_as_written(tmp_path):
    text = textwrap.dedent(T01.format(id="T01-x", bound="L*R^2/(4*N*h + 2)", expected="PASS"))
    text = text.replace('authors = ["Y. Drori", "M. Teboulle"]', 'authors = ["J. Zhang", "et al."]')
    p = tmp_path / "c.toml"
    p.write_text(text)
    (c,) = load_file(p)
    assert c.citation.authors == "J. Zhang et al."
    assert c.citation.short() == "Zhang et al. 2014, Thm 3.1"


def test_short_citations():
    assert Citation("Y. Drori, M. Teboulle", 2014, "t", "Thm 3.1").short() == "Drori, Teboulle 2014, Thm 3.1"
    assert Citation("A. B, C. D, E. F", 2020, "t", "Thm 1").short() == "B, D et al. 2020, Thm 1"
    assert Citation("J. Zhang, et al.", 2020, "t", "Thm 1").short() == "Zhang et al. 2020, Thm 1"
