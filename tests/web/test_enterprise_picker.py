"""The enterprise picker (issue 17): a text input with a looked-up list instead of a select of every
enterprise. The field resolves an id, a 统一社会信用代码 or an exact name inside the user's scope
in one query; the lookup answers at most 20 enterprises of that scope; the forms that listed
enterprises no longer carry them, so a page's size does not grow with the register."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise
from anjian.training.models import Person
from anjian.training.services.personnel import person_create
from anjian.ui.enterprise_picker import EnterprisePickerField
from tests.conftest import make_uscc
from tests.web.test_personnel import id_number

pytestmark = pytest.mark.django_db

LOOKUP = "/registry/enterprises/lookup/"
NOT_FOUND = "未找到该企业，请输入统一社会信用代码或从列表中选择"


def _field(world: Any, username: str = "office", required: bool = True) -> EnterprisePickerField:
    return EnterprisePickerField(
        queryset=visible_enterprises(world.users[username]), required=required
    )


def _many(world: Any, count: int, prefix: str = "批量", start: int = 1000) -> list[Enterprise]:
    """`count` county enterprises written straight to the table (no services: a large register)."""
    return Enterprise.objects.bulk_create(
        Enterprise(
            name=f"{prefix}{n:04d}号企业有限公司",
            uscc=make_uscc(start + n),
            sector="other",
            supervising_body=world.county,
            town="孝义镇",
        )
        for n in range(count)
    )


def _errors(field: EnterprisePickerField, value: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return caught.value.messages


# the field


def test_the_field_takes_an_id_a_code_a_label_or_an_exact_name(
    world, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"]
    field = _field(world)
    for value in (
        chem.pk,
        str(chem.pk),
        chem.uscc,
        chem.uscc.lower(),
        f"{chem.uscc} {chem.name}",
        f"  {chem.uscc}\u3000旧名称  ",  # the code decides; a stale name after it does not matter
        chem.name,
        chem,
    ):
        with django_assert_num_queries(1):
            assert field.clean(value) == chem, value


def test_an_all_digit_code_is_a_code_not_an_id(world) -> None:  # type: ignore[no-untyped-def]
    digits = Enterprise.objects.create(
        name="全数字代码企业",
        uscc="911411210000009999",
        sector="other",
        supervising_body=world.county,
    )
    assert _field(world).clean("911411210000009999") == digits


def test_unknown_and_out_of_scope_read_alike(world) -> None:  # type: ignore[no-untyped-def]
    other = world.enterprises["other_chem"]  # another county
    coal = world.enterprises["coal"]  # this county, but not the hazchem section's sector
    office = _field(world)
    section = _field(world, "hazchem")
    unknown = ("不存在的企业", make_uscc(99), "99999999", "abc")
    for value in (*unknown, other.pk, other.uscc, other.name):
        assert _errors(office, value) == [NOT_FOUND], value
    for value in (coal.pk, coal.uscc, coal.name, f"{coal.uscc} {coal.name}"):
        assert _errors(section, value) == [NOT_FOUND], value
    assert section.clean(world.enterprises["chem"].uscc) == world.enterprises["chem"]


def test_an_enterprise_user_picks_only_itself(world) -> None:  # type: ignore[no-untyped-def]
    field = _field(world, "enterprise")
    assert field.clean(world.enterprises["chem"].uscc) == world.enterprises["chem"]
    assert _errors(field, world.enterprises["coal"].pk) == [NOT_FOUND]


def test_a_shared_name_asks_for_the_code(world) -> None:  # type: ignore[no-untyped-def]
    twins = _many(world, 2, prefix="同名")
    Enterprise.objects.filter(pk__in=[t.pk for t in twins]).update(name="同名化工有限公司")
    field = _field(world)
    assert _errors(field, "同名化工有限公司") == [
        "有多家企业名为“同名化工有限公司”，请输入统一社会信用代码或从列表中选择"
    ]
    assert field.clean(twins[1].uscc).pk == twins[1].pk
    assert field.clean(f"{twins[0].uscc} 同名化工有限公司").pk == twins[0].pk


def test_the_messages_have_english(world) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        assert _errors(_field(world), "不存在") == [
            "Enterprise not found: type its unified social credit code or choose it from the list"
        ]


def test_empty_is_none_when_optional_and_required_otherwise(world) -> None:  # type: ignore[no-untyped-def]
    assert _field(world, required=False).clean("") is None
    assert _field(world, required=False).clean("   ") is None
    assert _errors(_field(world), "") == ["这个字段是必填项。"]


class _Form(forms.Form):
    enterprise = EnterprisePickerField(queryset=Enterprise.objects.none())


def test_the_widget_is_a_text_input_with_an_empty_list(world) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"]
    form = _Form(initial={"enterprise": str(chem.pk)})
    form.fields["enterprise"].queryset = visible_enterprises(world.users["office"])  # type: ignore[attr-defined]
    html = str(form["enterprise"])
    assert html.startswith('<input type="text" name="enterprise"')
    assert f'value="{chem.uscc} {chem.name}"' in html
    assert 'list="id_enterprise-list"' in html
    assert f'data-enterprise-lookup="{LOOKUP}"' in html
    assert html.endswith('<datalist id="id_enterprise-list"></datalist>')
    assert "<option" not in html and "<select" not in html
    bound = _Form({"enterprise": "没有这家<企业>"})
    bound.fields["enterprise"].queryset = Enterprise.objects.all()  # type: ignore[attr-defined]
    assert not bound.is_valid() and bound.errors["enterprise"] == [NOT_FOUND]
    assert 'value="没有这家&lt;企业&gt;"' in str(bound["enterprise"])  # kept as typed, escaped


# the lookup


def _lookup(client: Any, q: str) -> Any:
    response = client.get(LOOKUP, {"q": q})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_the_lookup_answers_values_and_labels(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"]
    client = login(world.users["office"])
    row = {"value": f"{chem.uscc} {chem.name}", "label": f"{chem.name}（凤城镇）"}
    expected = {"results": [row]}
    assert _lookup(client, "宏达") == expected
    assert _lookup(client, chem.uscc[:16].lower()) == expected  # a code's beginning
    assert _lookup(client, "wsxhd") == expected  # 拼音首字母 of 文水县宏达…
    assert _lookup(client, "") == {"results": []}
    assert _lookup(client, "   ") == {"results": []}
    assert _lookup(client, "不存在") == {"results": []}
    Enterprise.objects.filter(pk=chem.pk).update(town="")
    assert _lookup(client, "宏达")["results"][0]["label"] == chem.name


def test_the_lookup_keeps_to_the_users_scope(world, login) -> None:  # type: ignore[no-untyped-def]
    def names(username: str) -> list[str]:
        client = login(world.users[username])
        return [row["value"].split(" ", 1)[1] for row in _lookup(client, "有限公司")["results"]]

    e = world.enterprises
    assert names("office") == sorted([e["chem"].name, e["coal"].name])
    assert names("hazchem") == [e["chem"].name]  # its sector only
    assert names("enterprise") == [e["chem"].name]  # itself only
    assert names("enterprise2") == [e["coal"].name]
    assert names("other_office") == [e["other_chem"].name]
    assert len(names("city_office")) == 4  # the city's own and both its counties'


def test_the_lookup_refuses_roles_without_the_registry(world, login, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(LOOKUP, {"q": "有限公司"}).status_code == 302  # to the login page
    for username in ("training_institution", "system_admin", "security_admin", "audit_admin"):
        response = login(world.users[username]).get(LOOKUP, {"q": "有限公司"})
        assert response.status_code == 403, username
        assert "宏达" not in response.content.decode()


def test_the_lookup_answers_at_most_twenty(world, login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _many(world, 30)
    client = login(world.users["office"])
    with django_assert_max_num_queries(8):  # session, user, membership: never one per row
        rows = _lookup(client, "批量")["results"]
    assert len(rows) == 20
    assert rows[0]["label"] == "批量0000号企业有限公司（孝义镇）"
    assert [r["label"] for r in rows] == sorted(r["label"] for r in rows)


# the pages


def test_the_personnel_list_no_longer_lists_every_enterprise(world, login) -> None:  # type: ignore[no-untyped-def]
    many = _many(world, 300)
    person_create(
        actor=None,
        enterprise=many[7],
        data={"name": "张三", "id_number": id_number(1), "role": "principal"},
    )
    client = login(world.users["office"])
    html = client.get("/training/personnel/").content.decode()
    assert "张三" in html and many[7].name in html  # the one enterprise that has a row
    assert sum(enterprise.name in html for enterprise in many) == 1
    assert 'name="enterprise"' in html and "data-enterprise-lookup" in html
    assert "<option" not in html.split('name="enterprise"', 1)[1].split("</div>", 1)[0]
    for page in ("/training/hours/", "/training/certificates/alerts/", "/training/personnel/new/"):
        html = client.get(page).content.decode()
        shown = [enterprise for enterprise in many if enterprise.name in html]
        assert shown in ([], [many[7]]), page  # at most in a row of its own (the hours table)
    assert len(client.get("/training/personnel/").content) < 60_000


def test_the_personnel_filter_reads_what_the_picker_sends(world, login) -> None:  # type: ignore[no-untyped-def]
    chem, coal = world.enterprises["chem"], world.enterprises["coal"]
    for serial, firm in ((1, chem), (2, coal)):
        person_create(
            actor=None,
            enterprise=firm,
            data={"name": f"员工{serial}", "id_number": id_number(serial), "role": "principal"},
        )
    client = login(world.users["office"])
    label = f"{chem.uscc} {chem.name}"
    for value in (label, chem.name, chem.uscc.lower(), str(chem.pk)):
        response = client.get("/training/personnel/", {"enterprise": value})
        assert [p.name for p, _ in response.context["rows"]] == ["员工1"], value
        assert f'value="{label}"' in response.content.decode()  # shown as what it resolved to
    response = client.get("/training/personnel/", {"enterprise": "不存在"})
    assert response.context["total"] == 2 and NOT_FOUND in response.content.decode()
    response = client.get("/training/certificates/alerts/", {"enterprise": chem.uscc})
    assert response.context["enterprise"] == chem
    assert response.context["form"]["enterprise"].value() == f"{chem.uscc} {chem.name}"


def test_pages_given_an_enterprise_id_show_it_in_the_picker(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"]
    label = f'value="{chem.uscc} {chem.name}"'
    client = login(world.users["office"])
    for page in (
        f"/training/personnel/new/?enterprise={chem.pk}",
        f"/policy/entries/check/?enterprise={chem.pk}",
        f"/training/hours/?enterprise={chem.pk}",
    ):
        assert label in client.get(page).content.decode(), page
    client = login(world.users["hazchem"])
    page = client.get(f"/policy/quiet/exceptions/new/?enterprise={chem.pk}")
    assert label in page.content.decode()
    own = login(world.users["enterprise"]).get("/training/personnel/new/").content.decode()
    assert label in own  # an enterprise's only choice is filled in


def test_a_person_is_registered_by_code_without_the_script(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"]
    client = login(world.users["office"])
    data = {"name": "李四", "id_number": id_number(5), "role": "principal"}
    response = client.post("/training/personnel/new/", {**data, "enterprise": chem.uscc})
    assert response.status_code == 302
    assert Person.objects.get(name="李四").enterprise == chem
    other = world.enterprises["other_chem"]
    response = client.post("/training/personnel/new/", {**data, "enterprise": other.uscc})
    assert response.status_code == 200 and NOT_FOUND in response.content.decode()
    assert Person.objects.count() == 1
