def test_login_page_renders(client):
    response = client.get("/auth/login")
    assert response.status_code == 200


def test_member_sees_dashboard(auth, client):
    auth.login("member")
    response = client.get("/")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
