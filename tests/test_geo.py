from marsad.geo import haversine_km


def test_haversine_damascus_aleppo() -> None:
    assert 300 < haversine_km(33.5102, 36.2913, 36.2021, 37.1343) < 320


def test_haversine_same_point_is_zero() -> None:
    assert haversine_km(35.13, 36.75, 35.13, 36.75) == 0.0
